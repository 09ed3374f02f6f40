#!/usr/bin/env python3
"""Lab operator for a reverse shell: accepts one connection and types known commands into it.

operator.py HOST PORT TYPED SESSION
Writes every line it sends to TYPED (one per line: the ground truth of what was typed) and what
came back to SESSION, then ends SESSION with 'done' and keeps the connection open until killed
(the checkpoint is taken with the connection established)."""
import socket, sys, time

SETS = {
    "4471": ["id", "cd /tmp", "uname -a", "cat /etc/os-release | head -2",
             "echo 'stage2' > /tmp/.s2 && chmod +x /tmp/.s2", "ls -la /var/run",
             "export EXFIL_HOST=10.88.0.1", "printf '%s\\n' \"$EXFIL_HOST\" | wc -c"],
    "4472": ["whoami", "hostname", "ps -ef | head -5", "env | grep -c PATH",
             "touch /tmp/marker-$(date +%s)", "for f in /etc/hostname /etc/hosts; do wc -l $f; done"],
}

host, port, typed, session = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, port))
srv.listen(1)
conn, peer = srv.accept()
srv.close()
conn.settimeout(0.4)
out = open(session, "w")
out.write(f"shell from {peer}\n")

def drain():
    try:
        while True:
            d = conn.recv(65536)
            if not d:
                return
            out.write(repr(d) + "\n")
    except socket.timeout:
        pass

time.sleep(1.0)
drain()
with open(typed, "w") as t:
    for cmd in SETS[str(port)]:
        conn.sendall(cmd.encode() + b"\n")
        t.write(cmd + "\n")
        drain()
time.sleep(0.5)
drain()
out.write("done\n")
out.flush()
while True:
    time.sleep(60)
