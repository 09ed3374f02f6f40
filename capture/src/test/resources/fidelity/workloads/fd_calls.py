# Opens several files, dup/dup2/dup3 onto fds 40 and 41, pread/pwrite/writev, rename/chmod/unlink, closes
# them with closerange; memfd_create + exec of a copy of /bin/true through /proc/self/fd/N; a child
# exec'd with its stdout on a pipe.
import os, sys, time
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.05)
fds = [os.open(p, os.O_RDONLY) for p in ("/etc/passwd", "/etc/group", "/etc/hostname", "/etc/os-release", "/usr/bin", "/dev/null")]
os.read(fds[0], 32)
os.pread(fds[1], 16, 4)
x = os.dup(fds[2]); os.dup2(fds[3], 40); os.dup2(fds[3], 41, inheritable=False)
w = os.open("/tmp/h-b/files.out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(w, b"written-by-files")
os.pwrite(w, b"PW", 2)
os.writev(w, [b"vec1", b"vec2"])
os.rename("/tmp/h-b/files.out", "/tmp/h-b/files.moved")
os.chmod("/tmp/h-b/files.moved", 0o600)
os.unlink("/tmp/h-b/files.moved")
os.closerange(min(fds), 42)
os.close(w) if False else None
data = open("/bin/true", "rb").read()
for how in ("proc",):  # fexecve (execveat, empty path) crashes sysdig 0.29.3 in parse_dirfd
    m = os.memfd_create("fakebin-" + how, 0)
    os.write(m, data)
    pid = os.fork()
    if pid == 0:
        if how == "proc":
            os.execve("/proc/self/fd/%d" % m, ["pretend-" + how, "arg1"], {})
        else:
            os.execve(m, ["pretend-" + how, "arg2"], {})
    os.waitpid(pid, 0)
    os.close(m)
r, wp = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r); os.dup2(wp, 1)
    os.execv("/bin/echo", ["echo", "from-child"])
os.close(wp); os.read(r, 64); os.waitpid(pid, 0); os.close(r)
