#!/usr/bin/env bash
# Overhead of `stasis capture record` (strace underneath, no kernel driver) on a
# syscall-heavy workload, and the events per second it records.
#
#   bench/record.sh [ITERATIONS] [DIR]     (default 5,000 iterations in a fresh temp dir)
#
# The workload (perl) waits on a fifo, then runs ITERATIONS times: open a file,
# write 64 bytes, close it, read 64 bytes of /dev/zero (6 syscalls an iteration),
# and prints how long that took. It runs once plain and once while
# `stasis capture record --pid PID` records it (started first, the workload let go
# once strace is attached). Printed: the workload's run time both ways, the ratio
# (slowdown), the events written and events per second of recording, and the
# capture's size. RUNS=n takes the best of n runs each. The load average is printed
# because the machine is shared: compare runs taken at similar load.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-5000}
work=${2:-$(mktemp -d /tmp/stasis-bench-record.XXXXXX)}
runs=${RUNS:-1}
mkdir -p "$work"
command -v strace >/dev/null || { echo "bench/record.sh: strace is not installed" >&2; exit 1; }

cat > "$work/workload.pl" <<'PERL'
use strict; use Time::HiRes qw(time);
my ($fifo, $file, $n) = @ARGV;
open(my $go, '<', $fifo) or die; my $x = <$go>; close $go;
my $t0 = time;
my $buf = 'x' x 64;
for (1 .. $n) {
    open(my $f, '>', $file) or die; syswrite($f, $buf); close $f;
    open(my $z, '<', '/dev/zero') or die; sysread($z, my $r, 64); close $z;
}
printf "%.6f\n", time - $t0;
PERL

# one run of the workload; with "record", under stasis capture record. Prints: seconds events
run() {
  local mode=$1 fifo="$work/go" out="$work/out-$1.txt"
  rm -f "$fifo" "$work/rec.scap" "$work/rec.json"
  mkfifo "$fifo"
  perl "$work/workload.pl" "$fifo" "$work/file" "$iterations" > "$out" &
  local pid=$!
  local rec=""
  if [ "$mode" = record ]; then
    STASIS_DAEMON=0 ./stasis capture record --pid "$pid" -w "$work/rec.scap" --format json > "$work/rec.json" 2>"$work/rec.err" &
    rec=$!
    # let it go once strace holds it
    for _ in $(seq 1 3000); do
      grep -q '^TracerPid:[[:space:]]*[1-9]' "/proc/$pid/status" 2>/dev/null && break
      sleep 0.01
    done
  fi
  echo go > "$fifo"
  wait "$pid"
  local events=0
  if [ -n "$rec" ]; then
    wait "$rec"
    events=$(sed -n 's/.*"events" : \([0-9]*\).*/\1/p' "$work/rec.json")
  fi
  echo "$(cat "$out") $events"
}

best() { # mode -> best "seconds events" of $runs
  local b="" r
  for _ in $(seq 1 "$runs"); do
    r=$(run "$1")
    if [ -z "$b" ] || awk -v a="${r%% *}" -v b="${b%% *}" 'BEGIN{exit !(a<b)}'; then b=$r; fi
  done
  echo "$b"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; strace $(strace -V | head -1 | awk '{print $4}'); runs: $runs"
echo "workload: $iterations iterations x 6 syscalls (open, write, close, open, read, close)"
plain=$(best plain)
recorded=$(best record)
ps=${plain%% *}; rs=${recorded%% *}; ev=${recorded##* }
size=$(stat -c %s "$work/rec.scap")
awk -v p="$ps" -v r="$rs" -v e="$ev" -v s="$size" 'BEGIN {
  printf "plain:     %.3f s\n", p
  printf "recorded:  %.3f s  (%d events, %.0f events/s, capture %.1f MB)\n", r, e, e / r, s / 1048576
  printf "overhead:  %.1fx the plain run time\n", r / p
}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
