# Sockets that exist before the recording attaches: an IPv6 TCP listener on ::1 with an established
# connection (both ends here), a unix listener, a connected IPv6 UDP pair, a pipe. After the go file,
# data on each and a client from an untraced process (python3 -c ... started by the runner).
import os, socket, sys, time
go = sys.argv[1]
L = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
L.bind(("::1", 0)); L.listen(4)
port = L.getsockname()[1]
open("/tmp/h-b/attach.port", "w").write(str(port))
c = socket.create_connection(("::1", port)); s, _ = L.accept()
U = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try: os.unlink("/tmp/h-b/attach.sock")
except FileNotFoundError: pass
U.bind("/tmp/h-b/attach.sock"); U.listen(1)
d1 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); d1.bind(("::1", 0))
d2 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); d2.connect(d1.getsockname())
r, w = os.pipe()
t4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t4.bind(("127.0.0.1", 0)); t4.listen(1)
open("/tmp/h-b/attach.port4", "w").write(str(t4.getsockname()[1]))
while not os.path.exists(go):
    time.sleep(0.05)
c.sendall(b"pre-client"); s.recv(64); s.sendall(b"pre-server"); c.recv(64)
d2.send(b"pre-udp6"); d1.recvfrom(64)
os.write(w, b"pre-pipe"); os.read(r, 64)
tmp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); tmp.bind(("::1", 0)); fp = tmp.getsockname()[1]; tmp.close()
b6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); b6.bind(("::1", fp))   # a listening IPv6 UDP socket
c7 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); c7.sendto(b"to-bound6", ("::1", fp)); b6.recvfrom(64)
b6.connect(d1.getsockname()); b6.send(b"b6-connected"); d1.recvfrom(64)
b6.close(); c7.close()
e, _ = t4.accept(); e.recv(64); e.sendall(b"ext-reply"); e.close()
ua, _ = U.accept(); ua.recv(64); ua.close()
for x in (c, s, U, d1, d2, L, t4): x.close()
os.close(r); os.close(w)
os.unlink("/tmp/h-b/attach.sock")
