#!/usr/bin/env bash
# Capture reading throughput and memory of stasis against sysdig -r (0.29.3) on
# the same large capture and the same filters.
#
#   bench/capture.sh [MIN_EVENTS] [DIR]     (default 1,000,000 events in a fresh temp dir)
#
# Builds the capture with stasis' ScapWriter by writing the events of a real
# capture (testdata/captures/falco_run_as_user_0_container.scap) again and again,
# checks that sysdig reads it, then for each filter runs both readers with the
# full state engine and filter (sysdig -r FILE FILTER -p %evt.num > /dev/null;
# stasis counting the matches with the same code the commands use) and prints
# events/s, peak RSS and the ratios. Times include process start (the JVM's is
# about half a second).
set -euo pipefail
cd "$(dirname "$0")/.."
min=${1:-1000000}
work=${2:-$(mktemp -d /tmp/stasis-bench-capture.XXXXXX)}
mkdir -p "$work"
big="$work/big.scap"

./mvnw -q -B -o -pl capture -am install -DskipTests
./mvnw -q -B -o -pl capture dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
rm -rf "$work/classes" && cp -r capture/target/classes "$work/classes"   # a snapshot: builds elsewhere must not disturb the run
cp="$work/classes:$(cat "$work/cp.txt")"
. .mvn/find-jdk.sh && stasis_find_jdk
java="$JAVA_HOME/bin/java"

if [ ! -f "$big" ]; then
  echo "bench: writing >= $min events to $big" >&2
  "$java" -cp "$cp" dev.stasis.capture.bench.RepeatCapture \
      testdata/captures/falco_run_as_user_0_container.scap "$big" "$min" >/dev/null
fi
events=$(sysdig -r "$big" -p '%evt.num' | tail -1)
echo "capture: $big, $(stat -c %s "$big") bytes, last evt.num printed by sysdig: $events"

filters=(
  ""
  "evt.type=read"
  "proc.name=bash and evt.dir=<"
  "fd.typechar=f and evt.type in (open, openat, read, write)"
  "evt.type=execve or (fd.type=ipv4 and evt.type=connect)"
)

measure() { # prints "cpu_seconds wall_seconds maxrss_kib"
  local out
  out=$( { /usr/bin/time -f '%U %S %e %M' "$@" >/dev/null; } 2>&1 | tail -1 )
  awk '{printf "%.2f %.2f %d\n", $1 + $2, $3, $4}' <<<"$out"
}

# events/s are per CPU second (user + sys): the machine is shared, so wall time
# mostly measures the other tenants; wall-clock rates are printed too.
# a command-line run: the JVM's start and warm-up (about 0.9 CPU s) are included;
# "warm" is stasis' rate in a JVM that has read the capture 4 times before.
jopts="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m"
printf '%-58s %12s %12s %9s %12s %12s %12s %9s %8s %8s %8s\n' "filter" "sysdig ev/s" "(wall)" "sysdig MiB" \
  "stasis ev/s" "(wall)" "(warm)" "stasis MiB" "speed x" "warm x" "mem x"
for f in "${filters[@]}"; do
  if [ -z "$f" ]; then
    s=$(measure sysdig -r "$big" -p '%evt.num')
    j=$(measure "$java" $jopts -cp "$cp" dev.stasis.capture.bench.CountMatches "$big")
    w=$("$java" $jopts -cp "$cp" dev.stasis.capture.bench.CountMatches --repeat 5 "$big" | sed -n 's/^warm: \([0-9]*\).*/\1/p')
  else
    s=$(measure sysdig -r "$big" -p '%evt.num' "$f")
    j=$(measure "$java" $jopts -cp "$cp" dev.stasis.capture.bench.CountMatches "$big" "$f")
    w=$("$java" $jopts -cp "$cp" dev.stasis.capture.bench.CountMatches --repeat 5 "$big" "$f" | sed -n 's/^warm: \([0-9]*\).*/\1/p')
  fi
  read -r st sw sm <<<"$s"
  read -r jt jw jm <<<"$j"
  awk -v f="${f:-(all events)}" -v n="$events" -v st="$st" -v sw="$sw" -v sm="$sm" -v jt="$jt" -v jw="$jw" -v jm="$jm" -v w="${w:-0}" 'BEGIN{
    st = st < 0.01 ? 0.01 : st; jt = jt < 0.01 ? 0.01 : jt; sw = sw < 0.01 ? 0.01 : sw; jw = jw < 0.01 ? 0.01 : jw;
    printf "%-58s %12.0f %12.0f %9.1f %12.0f %12.0f %12.0f %9.1f %8.2f %8.2f %8.2f\n", f, n/st, n/sw, sm/1024, n/jt, n/jw, w, jm/1024, st/jt, w/(n/st), jm/sm }'
done
echo "speed x = stasis events per CPU second / sysdig's, one run each (higher is better); warm x = the same with"
echo "stasis warmed up; mem x = stasis peak RSS / sysdig's"
