#!/usr/bin/env bash
# The workbench's event table on a large capture: server time of the first page and of filtered
# pages once the capture is indexed, with the indexing time stated.
#
#   bench/ui-events.sh [MIN_EVENTS] [DIR]     (default 10,000,000 events in a fresh temp dir)
#
# Builds the capture as bench/capture.sh does (the bench module's RepeatCapture over
# testdata/captures/falco_run_as_user_0_container.scap; an existing DIR/big-N.scap is reused), stores it
# in a fresh vault with `stasis evidence add`, starts `stasis ui` on loopback with its own state
# directory, and asks for pages with curl. Server time is the server's own Server-Timing header
# (app;dur: from the request's arrival to the response's headers, page rendered); best and median
# of RUNS (default 7) requests each. Indexing: the first request of a view starts its one pass over the
# capture (and, for the first view of an item, the hash check of the stored bytes); the time until the
# view is complete is printed, and the page's own "indexed in N ms" (the pass alone).
# SKIP_BUILD=1 uses the CLI, workbench and bench as last built.
set -euo pipefail
cd "$(dirname "$0")/.."
min=${1:-10000000}
work=${2:-$(mktemp -d /tmp/stasis-bench-ui.XXXXXX)}
runs=${RUNS:-7}
port=${PORT:-18089}
mkdir -p "$work"
big="$work/big-$min.scap"

if [ -z "${SKIP_BUILD-}" ]; then
  ./mvnw -q -B -o -pl workbench,cli,bench -am package -DskipTests
fi
./mvnw -q -B -o -pl bench dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="bench/target/classes:capture/target/classes:capture/target/test-classes:$(cat "$work/cp.txt")"
. .mvn/find-jdk.sh && stasis_find_jdk
java="$JAVA_HOME/bin/java"
if [ ! -f "$big" ]; then
  echo "bench: writing >= $min events to $big" >&2
  "$java" -cp "$cp" dev.stasis.bench.capture.RepeatCapture testdata/captures/falco_run_as_user_0_container.scap "$big" "$min" >/dev/null
fi

export STASIS_NO_BUILD=1 STASIS_DAEMON=0
vault="$work/vault"
state="$work/ui-state"
rm -rf "$vault" "$state"
t0=$(date +%s%N)
./stasis evidence add "$big" --vault "$vault" >/dev/null
id=$(sha256sum "$big" | cut -c1-64)
echo "capture: $big, $(stat -L -c %s "$big") bytes; stored in the vault in $(( ($(date +%s%N) - t0) / 1000000 )) ms as ${id:0:12}"

./stasis ui --vault "$vault" --state-dir "$state" --listen "127.0.0.1:$port" 2>"$work/ui.log" &
ui=$!
trap 'kill $ui 2>/dev/null || true' EXIT
for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/cases" && break; sleep 0.1; done
base="http://127.0.0.1:$port/items/$id/events"

urlenc() { python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# waits until the view of this URL is complete; prints "wall_ms pass_ms total_events"
index() {
  local url=$1 start body
  start=$(date +%s%N)
  while :; do
    body=$(curl -s "$url")
    if grep -q 'id="event-count">[0-9]* event(s)' <<<"$body"; then break; fi
    sleep 0.2
  done
  local wall=$(( ($(date +%s%N) - start) / 1000000 ))
  local pass count
  pass=$(grep -o 'indexed in [0-9]* ms' <<<"$body" | grep -o '[0-9]*' || echo "?")
  count=$(grep -o 'id="event-count">[0-9]*' <<<"$body" | grep -o '[0-9]*$')
  echo "$wall $pass $count"
}

# best and median server time (ms) of $runs requests
timed() {
  local url=$1 all=()
  for _ in $(seq "$runs"); do
    all+=("$(curl -s -o /dev/null -D - "$url" | tr -d '\r' | sed -n 's/^Server-Timing: app;dur=//Ip')")
  done
  printf '%s\n' "${all[@]}" | sort -n | awk '{a[NR]=$1} END{printf "%8.1f %8.1f", a[1], a[int((NR+1)/2)]}'
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %10s %10s %12s | %8s %8s | %8s %8s\n' "view" "index ms" "pass ms" "events" "p1 best" "p1 med" "deep best" "deep med"
for f in "" "evt.type=read" "proc.name=bash and evt.dir=<" "evt.type=execve or (fd.type=ipv4 and evt.type=connect)"; do
  q="?f=$(urlenc "$f")"
  read -r wall pass count <<<"$(index "$base$q&page=0")"
  deep=$(( count / 50 / 2 ))
  p1=$(timed "$base$q&page=0")
  pd=$(timed "$base$q&page=$deep")
  printf '%-44s %10s %10s %12s | %s | %s\n' "${f:-(all events)}" "$wall" "$pass" "$count" "$p1" "$pd"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "index ms: first request of the view until it is complete (the first view also hashes the stored item); pass ms: the pass alone;"
echo "p1: first page (50 events), deep: the middle page; server time in ms (Server-Timing), best and median of $runs"
