# A TCP server on 127.0.0.1 that accepts three clients (one in a child process, two threads in-process
# are avoided: plain sequential clients from forked children), echoes what they send, and closes.
import os, socket, sys, time
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.05)
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
port = srv.getsockname()[1]
kids = []
for i in range(3):
    pid = os.fork()
    if pid == 0:
        srv.close()
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(("127.0.0.1", port))
        c.sendall(b"hello %d" % i)
        c.recv(64)
        c.close()
        os._exit(0)
    kids.append(pid)
for i in range(3):
    conn, peer = srv.accept()
    data = conn.recv(64)
    conn.sendall(data.upper())
    conn.close()
for k in kids:
    os.waitpid(k, 0)
# a server socket bound to every address, and a client accepted through accept4
srv2 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
srv2.bind(("::", 0))
srv2.listen(1)
p2 = srv2.getsockname()[1]
c = socket.create_connection(("::1", p2))
conn, _ = srv2.accept()
c.sendall(b"six")
conn.recv(8)
c2 = socket.create_connection(("127.0.0.1", p2))
conn2, _ = srv2.accept()
c2.sendall(b"mapped")
conn2.recv(8)
for s in (c, conn, c2, conn2, srv2, srv):
    s.close()
