# stasis sandbox: take over the remote end of one restored TCP connection (lab use, run as root
# inside the sinkhole's network namespace with `python3 -I`).
#
# Why Python: the JDK has no TCP_REPAIR socket option and Java 21 cannot call setsockopt itself
# (FFM is a preview there). This helper builds the repaired socket, as CRIU's
# soccr/test/tcp-constructor.c does, and relays its bytes unchanged to the Java sinkhole on
# 127.0.0.1 (loopback of the sinkhole's namespace), which does all the logging and talking.
#
# argv: local_ip local_port remote_ip remote_port send_seq recv_seq relay_port snd_wscale rcv_wscale mss timestamps
#       snd_wnd rcv_wnd
import select, socket, struct, sys

TCP_REPAIR, TCP_REPAIR_QUEUE, TCP_QUEUE_SEQ, TCP_REPAIR_OPTIONS, TCP_REPAIR_WINDOW = 19, 20, 21, 22, 29
TCP_RECV_QUEUE, TCP_SEND_QUEUE = 1, 2
TCPOPT_MSS, TCPOPT_WINDOW, TCPOPT_TIMESTAMP = 2, 3, 8

(lip, lport, rip, rport, sseq, rseq, relay, snd_ws, rcv_ws, mss, ts, snd_wnd, rcv_wnd) = sys.argv[1:14]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
s.setsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ, struct.pack("I", int(sseq)))  # unsigned 32 bits
s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE)
s.setsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ, struct.pack("I", int(rseq)))
s.bind((lip, int(lport)))
s.connect((rip, int(rport)))  # in repair mode: no SYN, the socket is ESTABLISHED at once
opts = b""
if int(mss) > 0:
    opts += struct.pack("II", TCPOPT_MSS, int(mss))
if int(snd_ws) > 0 or int(rcv_ws) > 0:
    opts += struct.pack("II", TCPOPT_WINDOW, int(snd_ws) | (int(rcv_ws) << 16))
if ts == "1":
    opts += struct.pack("II", TCPOPT_TIMESTAMP, 0)
if opts:
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_OPTIONS, opts)
if int(snd_wnd) > 0 and int(rcv_wnd) > 0:
    # the windows both ends had; without them the repaired socket starts with a zero send
    # window and waits for a window probe before it may send
    try:
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_WINDOW,
                     struct.pack("IIIII", int(rseq), int(snd_wnd), int(snd_wnd), int(rcv_wnd), int(rseq)))
    except OSError:
        pass
# TCP_REPAIR_OFF_NO_WP (-1): leave repair mode WITHOUT the window probe that plain "off" sends;
# the restored socket does not exist yet, so the probe would be answered with a RST that kills
# this end. The restored side sends its own probe when CRIU finishes, and this end answers it.
s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, -1)

r = socket.create_connection(("127.0.0.1", int(relay)))
r.sendall(("TAKEOVER %s:%s %s:%s\n" % (rip, rport, lip, lport)).encode())
print("ready", flush=True)
peers = {s: r, r: s}
while True:
    ready, _, _ = select.select([s, r], [], [])
    for a in ready:
        try:
            d = a.recv(65536)
        except OSError:
            d = b""
        if not d:
            sys.exit(0)
        peers[a].sendall(d)
