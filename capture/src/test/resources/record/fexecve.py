# The workload of RecordFexecveTest: waits on a fifo, copies /bin/sh into a memfd and
# runs it from the fd (os.execve on an fd is fexecve: execveat(fd, "", ..., AT_EMPTY_PATH)).
# The shell writes the name the kernel gave it (/proc/self/comm) to DIR/comm.txt: the
# ground truth for the name the recording must give the process.
# usage: fexecve.py FIFO DIR
import json, os, shutil, sys

fifo, work = sys.argv[1], sys.argv[2]
with open(fifo) as f:
    f.read()
fd = os.memfd_create("stasis-payload", 0)  # no MFD_CLOEXEC: the kernel reopens it by /dev/fd/N
with open("/bin/sh", "rb") as src, os.fdopen(os.dup(fd), "wb") as dst:
    shutil.copyfileobj(src, dst)
child = os.fork()
if child == 0:
    os.execve(fd, ["payload-sh", "-c", 'read -r name < /proc/$$/comm; echo "$name" > "$0"',
                   os.path.join(work, "comm.txt")], {})
os.waitpid(child, 0)
with open(os.path.join(work, "log.json"), "w") as f:
    json.dump({"pid": os.getpid(), "child": child, "fd": fd}, f)
