# Sockets set up before recording starts: a listening socket, an established connection (both ends in
# this process), a connected UDP socket. After the go file: data both ways, a new accept, closes.
import os, socket, sys, time
go = sys.argv[1]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
port = srv.getsockname()[1]
c = socket.create_connection(("127.0.0.1", port))
s, _ = srv.accept()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2.connect(u.getsockname())
while not os.path.exists(go):
    time.sleep(0.05)
c.sendall(b"before-client")
s.recv(64)
s.sendall(b"before-server")
c.recv(64)
u2.send(b"udp")
u.recvfrom(64)
c3 = socket.create_connection(("127.0.0.1", port))
s3, _ = srv.accept()
s3.sendall(b"new")
c3.recv(8)
for x in (c, s, u, u2, c3, s3, srv):
    x.close()
