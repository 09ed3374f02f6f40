# The ground-truth workload of RecordGroundTruthTest: waits on a fifo, then does
# known things and logs them (JSON) so the test can check the recording against it.
# usage: workload.py FIFO DIR PORT   (run in a private mount namespace with a tmpfs on /var/log)
import json, os, socket, sys

fifo, work, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
log = {"pid": os.getpid()}
with open(fifo) as f:
    f.read()

out = os.path.join(work, "out.txt")
fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, b"known-content-stasis")
os.close(fd)
log["file"] = out

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", port))
log["client_port"] = s.getsockname()[1]
s.sendall(b"hello-stasis\n")
log["received"] = s.recv(100).decode()
s.close()

with open("/etc/shadow", "rb") as f:  # a sensitive file: Falco's "Read sensitive file untrusted"
    f.read(16)
with open("/var/log/stasis-ground-truth.log", "w") as f:  # truncating a log: "Clear Log Activities"
    f.write("cleared\n")

os.rename(out, os.path.join(work, "renamed.txt"))
log["renamed"] = os.path.join(work, "renamed.txt")

child = os.fork()
if child == 0:
    os.execv("/bin/true", ["/bin/true", "ground-truth"])
os.waitpid(child, 0)
log["child"] = child

with open(os.path.join(work, "log.json"), "w") as f:
    json.dump(log, f)
