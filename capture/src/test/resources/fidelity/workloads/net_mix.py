# TCP server on 127.0.0.1 serving two forked clients with known bytes, then an IPv6 ::1 UDP exchange
# (connected and unconnected), then sendmsg/recvmsg over a unix socketpair passing an fd, then a
# named unix stream socket.
import os, socket, sys, time, array
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.05)
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
port = srv.getsockname()[1]
kids = []
for i in range(2):
    pid = os.fork()
    if pid == 0:
        srv.close()
        c = socket.create_connection(("127.0.0.1", port))
        c.sendall(b"client-%d-hello" % i)
        c.recv(64)
        c.close()
        os._exit(0)
    kids.append(pid)
for i in range(2):
    conn, peer = srv.accept()
    d = conn.recv(64)
    conn.send(b"server-reply-" + d)
    conn.close()
for k in kids:
    os.waitpid(k, 0)
srv.close()
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.bind(("::1", 0))
p6 = u6.getsockname()[1]
c6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
c6.sendto(b"v6-ping", ("::1", p6))
d, peer = u6.recvfrom(64)
u6.sendto(b"v6-pong", peer)
c6.recvfrom(64)
c6.connect(("::1", p6))
c6.send(b"v6-connected")
u6.recv(64)
c6.close(); u6.close()
a, b = socket.socketpair()
f = os.open("/etc/hostname", os.O_RDONLY)
a.sendmsg([b"pass-fd"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [f]))])
msg, anc, flags, addr = b.recvmsg(64, socket.CMSG_LEN(4))
os.close(f)
for lvl, typ, data in anc:
    for fd in array.array("i", data):
        os.read(fd, 16); os.close(fd)
a.close(); b.close()
path = "/tmp/h-b/net2.sock"
try: os.unlink(path)
except FileNotFoundError: pass
us = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
us.bind(path); us.listen(1)
uc = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
uc.connect(path)
ua, _ = us.accept()
uc.sendall(b"unix-stream"); ua.recv(64)
for s in (uc, ua, us): s.close()
os.unlink(path)
