# UDP on unconnected sockets: sendto/recvfrom both ways, then sendmsg/recvmsg, then a connected UDP socket.
import os, socket, sys, time
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.05)
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(("127.0.0.1", 0))
port = srv.getsockname()[1]
cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
cli.sendto(b"ping", ("127.0.0.1", port))
data, peer = srv.recvfrom(64)
srv.sendto(b"pong", peer)
cli.recvfrom(64)
cli.sendmsg([b"msg"], [], 0, ("127.0.0.1", port))
srv.recvmsg(64)
cli2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
cli2.connect(("127.0.0.1", port))
cli2.send(b"conn")
srv.recvfrom(64)
any4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
any4.bind(("0.0.0.0", 0))
cli.sendto(b"any", ("127.0.0.1", any4.getsockname()[1]))
any4.recvfrom(64)
for s in (srv, cli, cli2, any4):
    s.close()
