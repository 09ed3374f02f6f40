#!/usr/bin/env bash
# Capture reading throughput and memory of stasis against sysdig -r (0.29.3) on
# the same large capture and the same filters, the way a user runs them.
#
#   bench/capture.sh [MIN_EVENTS] [DIR]     (default 10,000,000 events in a fresh temp dir)
#
# Builds the capture with stasis' ScapWriter (bench module's RepeatCapture) by writing the events of a real
# capture (testdata/captures/falco_run_as_user_0_container.scap) again and again
# (a 1M-event capture is about 64 MB, 10M about 640 MB), checks that sysdig reads
# it, then for each filter runs the two whole commands, each printing %evt.num of
# the selected events to /dev/null:
#   sysdig -r FILE -p %evt.num FILTER
#   stasis capture events FILE FILTER -p %evt.num     (as ./stasis runs it: its JVM flags and AOT cache)
# Both read every event with full state tracking. Printed: events per second of
# wall-clock time (what a user waits for) and per CPU second (user + sys of all
# threads: the JVM's JIT compiler threads run on the second core, so wall time
# favours stasis on an idle 2-core machine; per CPU second is the fairer measure on
# a shared one), peak RSS, and the ratios stasis / sysdig. STASIS_JAVA_OPTS adds
# JVM flags (to try some); RUNS=n takes the best of n runs each; SKIP_BUILD=1 uses the
# CLI as last built with the capture module built now (when other modules do not build).
set -euo pipefail
cd "$(dirname "$0")/.."
min=${1:-10000000}
work=${2:-$(mktemp -d /tmp/stasis-bench-capture.XXXXXX)}
runs=${RUNS:-1}
mkdir -p "$work"
big="$work/big-$min.scap"

if [ "${SKIP_BUILD-}" = 1 ]; then
  # the shared tree does not build right now: the CLI as last built, with this capture module
  # (and the bench module, whose RepeatCapture builds the large capture)
  ./mvnw -q -B -o -pl capture,bench install -DskipTests
else
  ./mvnw -q -B -o -pl cli,bench -am package -DskipTests
fi
# the bench module's class path: its drivers, capture and capture's test support (this
# build's classes first: the class path of a single module names the installed jars)
./mvnw -q -B -o -pl bench dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="bench/target/classes:capture/target/classes:capture/target/test-classes:$(cat "$work/cp.txt")"
. .mvn/find-jdk.sh && stasis_find_jdk
java="$JAVA_HOME/bin/java"

if [ ! -f "$big" ]; then
  echo "bench: writing >= $min events to $big" >&2
  "$java" -cp "$cp" dev.stasis.bench.capture.RepeatCapture \
      testdata/captures/falco_run_as_user_0_container.scap "$big" "$min" >/dev/null
fi
events=$(sysdig -r "$big" -p '%evt.num' | tail -1)
# A snapshot of the built command, run the way ./stasis runs capture commands (its JVM
# flags and its AOT cache, recorded here once with the launcher's training run): other
# builds of the shared tree during the run must not swap the jar or re-record the cache.
snap="$work/cli"
rm -rf "$snap" && mkdir -p "$snap" && cp cli/target/stasis.jar "$snap/" && cp -r cli/target/lib "$snap/lib"
if [ "${SKIP_BUILD-}" = 1 ]; then cp capture/target/stasis-capture-*.jar "$snap/lib/"; fi
# the launcher's flags (.mvn/stasis-jvm.sh): its base flags, those it records the AOT cache
# with, and those of `capture`
. .mvn/stasis-jvm.sh
stasis_command_flags capture
read -r -a jvm <<<"$STASIS_JVM_BASE"
read -r -a record <<<"$STASIS_AOT_RECORD"
read -r -a command_flags <<<"$STASIS_JVM_COMMAND"
"$java" "${jvm[@]}" "${record[@]}" -XX:AOTCacheOutput="$snap/stasis.aot" -jar "$snap/stasis.jar" aot-training "$PWD" >/dev/null 2>&1 || true
jvm+=("${command_flags[@]}")
[ -f "$snap/stasis.aot" ] && jvm+=(-XX:AOTCache="$snap/stasis.aot" -Xlog:aot=off -Xlog:cds=off)
# shellcheck disable=SC2206
stasis=("$java" "${jvm[@]}" ${STASIS_JAVA_OPTS-} -jar "$snap/stasis.jar")
echo "capture: $big, $(stat -L -c %s "$big") bytes, $events events (last evt.num printed by sysdig)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); STASIS_JAVA_OPTS='${STASIS_JAVA_OPTS-}'"

filters=(
  ""
  "evt.type=read"
  "proc.name=bash and evt.dir=<"
  "fd.typechar=f and evt.type in (open, openat, read, write)"
  "evt.type=execve or (fd.type=ipv4 and evt.type=connect)"
)

measure() { # best of $runs: prints "cpu_seconds wall_seconds maxrss_kib" (the run with the least CPU)
  local best="" out
  for _ in $(seq "$runs"); do
    out=$( { /usr/bin/time -f '%U %S %e %M' "$@" >/dev/null; } 2>&1 | tail -1 )
    out=$(awk '{printf "%.2f %.2f %d\n", $1 + $2, $3, $4}' <<<"$out")
    if [ -z "$best" ] || awk -v a="$out" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," "); exit !(x[1]<y[1])}'; then
      best=$out
    fi
  done
  echo "$best"
}

printf '%-58s %11s %11s %7s | %11s %11s %7s | %7s %7s %6s\n' "filter" "sysdig ev/s" "ev/CPU-s" "MiB" \
  "stasis ev/s" "ev/CPU-s" "MiB" "wall x" "CPU x" "mem x"
for f in "${filters[@]}"; do
  if [ -z "$f" ]; then
    s=$(measure sysdig -r "$big" -p '%evt.num')
    j=$(measure "${stasis[@]}" capture events "$big" -p '%evt.num')
  else
    s=$(measure sysdig -r "$big" -p '%evt.num' "$f")
    j=$(measure "${stasis[@]}" capture events "$big" "$f" -p '%evt.num')
  fi
  read -r st sw sm <<<"$s"
  read -r jt jw jm <<<"$j"
  awk -v f="${f:-(all events)}" -v n="$events" -v st="$st" -v sw="$sw" -v sm="$sm" -v jt="$jt" -v jw="$jw" -v jm="$jm" 'BEGIN{
    st = st < 0.01 ? 0.01 : st; jt = jt < 0.01 ? 0.01 : jt; sw = sw < 0.01 ? 0.01 : sw; jw = jw < 0.01 ? 0.01 : jw;
    printf "%-58s %11.0f %11.0f %7.1f | %11.0f %11.0f %7.1f | %7.2f %7.2f %6.2f\n", f, n/sw, n/st, sm/1024, n/jw, n/jt, jm/1024, sw/jw, st/jt, jm/sm }'
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ev/s = events per second of wall-clock time; ev/CPU-s = per CPU second (user + sys, all threads);"
echo "wall x, CPU x = stasis' rate / sysdig's (higher is better for stasis); mem x = stasis peak RSS / sysdig's"
