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
# Both read every event with full state tracking. When the command table serves capture
# commands from the launcher's warm background JVM, the same is measured a second time
# through it (started from the snapshot as ./stasis starts it, warm-up included, and asked
# through the launcher's client; its CPU during each command is added; SERVED=0 skips this,
# MODES=served measures only that).
# Printed: events per second of
# wall-clock time (what a user waits for) and per CPU second (user + sys of all
# threads: the JVM's JIT compiler threads run on the second core, so wall time
# favours stasis on an idle 2-core machine; per CPU second is the fairer measure on
# a shared one), peak RSS, and the ratios stasis / sysdig. STASIS_JAVA_OPTS adds
# JVM flags (to try some); RUNS=n takes the best of n runs each; SKIP_BUILD=1 uses the
# CLI as last built with the capture module built now (when other modules do not build),
# SKIP_BUILD=2 the same without building anything (capture and bench built beforehand).
set -euo pipefail
cd "$(dirname "$0")/.."
min=${1:-10000000}
work=${2:-$(mktemp -d /tmp/stasis-bench-capture.XXXXXX)}
runs=${RUNS:-1}
mkdir -p "$work"
big="$work/big-$min.scap"

if [ "${SKIP_BUILD-}" = 2 ]; then
  : # built beforehand (capture, bench and cli installed/packaged): build nothing here
elif [ "${SKIP_BUILD-}" = 1 ]; then
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
if [ -n "${SKIP_BUILD-}" ]; then cp capture/target/stasis-capture-0*[0-9T].jar "$snap/lib/"; fi
# the launcher's flags (.mvn/stasis-jvm.sh): its base flags, those it records the AOT cache
# with, and those of `capture`, and the AOT cache it starts `capture` from (the command's own
# when the command table gives it one: recorded from its training runs alone)
. .mvn/stasis-jvm.sh
stasis_command_flags capture
stasis_aot_cache capture
read -r -a jvm <<<"$STASIS_JVM_BASE"
read -r -a record <<<"$STASIS_AOT_RECORD"
read -r -a command_flags <<<"$STASIS_JVM_COMMAND"
"$java" "${jvm[@]}" "${record[@]}" -XX:AOTCacheOutput="$snap/stasis.aot" -jar "$snap/stasis.jar" aot-training "$PWD" \
    ${STASIS_AOT_CACHE:+--only "$STASIS_AOT_CACHE"} >/dev/null 2>&1 || true
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

# The background JVM (./stasis serves capture commands from one when the command table says so):
# the client's CPU and wall time plus the CPU the JVM spent meanwhile (all its threads, from
# /proc/PID/stat, so its JIT compiler's work during the command counts); memory: its peak RSS.
daemon_pid=""
measure_served() {
  local best="" out before after tck
  tck=$(getconf CLK_TCK)
  for _ in $(seq "$runs"); do
    before=$(awk '{print $14 + $15}' "/proc/$daemon_pid/stat") || { echo "bench: the background JVM is gone" >&2; exit 1; }
    out=$( { /usr/bin/time -f '%U %S %e' perl .mvn/stasis-client.pl "$sock" "$@" >/dev/null; } 2>&1 )
    case $out in *"Command exited"*) echo "bench: the served command failed: $out" >&2; exit 1 ;; esac
    out=$(tail -1 <<<"$out")
    after=$(awk '{print $14 + $15}' "/proc/$daemon_pid/stat") || { echo "bench: the background JVM is gone" >&2; exit 1; }
    out=$(awk -v d=$((after - before)) -v t="$tck" -v m="$(awk '/VmHWM/{print $2}' "/proc/$daemon_pid/status")" \
      '{printf "%.2f %.2f %d\n", $1 + $2 + d / t, $3, m}' <<<"$out")
    if [ -z "$best" ] || awk -v a="$out" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," "); exit !(x[1]<y[1])}'; then
      best=$out
    fi
  done
  echo "$best"
}

row() { # filter sysdig_measure stasis_measure
  read -r st sw sm <<<"$2"
  read -r jt jw jm <<<"$3"
  awk -v f="${1:-(all events)}" -v n="$events" -v st="$st" -v sw="$sw" -v sm="$sm" -v jt="$jt" -v jw="$jw" -v jm="$jm" 'BEGIN{
    st = st < 0.01 ? 0.01 : st; jt = jt < 0.01 ? 0.01 : jt; sw = sw < 0.01 ? 0.01 : sw; jw = jw < 0.01 ? 0.01 : jw;
    printf "%-58s %11.0f %11.0f %7.1f | %11.0f %11.0f %7.1f | %7.2f %7.2f %6.2f\n", f, n/sw, n/st, sm/1024, n/jw, n/jt, jm/1024, sw/jw, st/jt, jm/sm }'
}
header() {
  printf '%-58s %11s %11s %7s | %11s %11s %7s | %7s %7s %6s\n' "$1" "sysdig ev/s" "ev/CPU-s" "MiB" \
    "stasis ev/s" "ev/CPU-s" "MiB" "wall x" "CPU x" "mem x"
}
served=0
type stasis_served >/dev/null 2>&1 && stasis_served capture events "$big" && served=1
start_daemon() { # sets daemon_pid, or leaves it empty
  sock="$work/stasis-bench.sock"
  rm -f "$sock" "$sock.lock"
  # started as ./stasis starts it: base flags, the AOT cache, the warm-up over the bundled examples
  # shellcheck disable=SC2206
  daemon=("$java" $STASIS_JVM_BASE)
  [ -f "$snap/stasis.aot" ] && daemon+=(-XX:AOTCache="$snap/stasis.aot" -Xlog:aot=off -Xlog:cds=off)
  (cd / && setsid -f "${daemon[@]}" -jar "$snap/stasis.jar" daemon --socket "$sock" --idle 3600 --warm-up "$PWD" \
    </dev/null >"$work/daemon.log" 2>&1)
  for _ in $(seq 100); do [ -S "$sock" ] && [ -s "$sock.lock" ] && break; sleep 0.2; done
  daemon_pid=$(cat "$sock.lock" 2>/dev/null || true)
  trap '[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null; true' EXIT
  # the warm-up runs before the first command is answered: wait for it with one untimed command
  perl .mvn/stasis-client.pl "$sock" capture info "$big" >/dev/null || daemon_pid=""
}

for mode in ${MODES:-own served}; do
  if [ "$mode" = own ]; then
    header "filter (stasis in a JVM of its own)"
  else
    if [ "${SERVED-1}" = 1 ] && [ "$served" = 1 ] && command -v perl >/dev/null; then start_daemon; fi
    [ -n "$daemon_pid" ] || { echo "(no background JVM: the command table does not serve capture events, or SERVED=0)"; break; }
    echo
    header "filter (stasis served by the warm background JVM)"
  fi
  for f in "${filters[@]}"; do
    a=(capture events "$big"); [ -n "$f" ] && a+=("$f"); a+=(-p '%evt.num')
    if [ -z "$f" ]; then s=$(measure sysdig -r "$big" -p '%evt.num'); else s=$(measure sysdig -r "$big" -p '%evt.num' "$f"); fi
    if [ "$mode" = own ]; then j=$(measure "${stasis[@]}" "${a[@]}"); else j=$(measure_served "${a[@]}"); fi
    row "$f" "$s" "$j"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ev/s = events per second of wall-clock time; ev/CPU-s = per CPU second (user + sys, all threads;"
echo "served: the client's and the background JVM's during the command); wall x, CPU x = stasis' rate / sysdig's"
echo "(higher is better for stasis); mem x = stasis peak RSS / sysdig's (served: the background JVM's peak)"
