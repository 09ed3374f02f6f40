#!/usr/bin/env bash
# Alert load against the response engine on loopback: accepted alerts/s and the
# latency from the POST leaving the client to the checkpoint request leaving
# stasis (target: >= 5000/s, p99 < 20 ms), also POST to 202, per concurrency;
# then a storm over a few containers showing the cool-down holding (exactly one
# checkpoint per container).
# Bounded: ALERTS alerts per round, at most MAX_SECONDS per round. Real HTTP
# server, bearer auth, policy, fsynced journal, JSON logs (to a sink); the
# checkpoint backend only timestamps. Warm-up rounds go to the same server
# until the JIT settles (under 3% of a round, at most 6 rounds), then one
# measured round per listed concurrency (keep-alive senders, each waiting for
# its answer before the next POST: Little's law ties alerts/s to senders /
# POST-to-202 latency). CPU per accepted alert is printed too: it holds still
# on a shared machine where alerts/s do not.
# CLIENT=socket (default: plain keep-alive HTTP/1.1 sockets, cheap enough not to
# starve the server of the shared cores) or jdk (java.net.http, several times
# costlier per request than the server itself).
# STASIS_NO_BUILD=1 skips the build (use bench/target/classes and the modules in ~/.m2).
#
#   bench/response-load.sh [ALERTS=20000] [CONCURRENCY=64,32,16] [CONTAINERS=50] [MAX_SECONDS=60] [CLIENT=socket]
set -euo pipefail
cd "$(dirname "$0")/.."
ALERTS=${1:-20000}; CONCURRENCY=${2:-64,32,16}; CONTAINERS=${3:-50}; MAX_SECONDS=${4:-60}; CLIENT=${5:-socket}
[ -n "${STASIS_NO_BUILD:-}" ] || ./mvnw -q -B -o -pl bench -am package -DskipTests >/dev/null
# the bench module's class path (LoadGenerator and the response module it drives)
cpfile=$(mktemp /tmp/stasis-bench-cp.XXXXXX); trap 'rm -f "$cpfile"' EXIT
./mvnw -q -B -o -pl bench dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
. .mvn/find-jdk.sh
stasis_find_jdk
JAVA=$JAVA_HOME/bin/java
busy() { ps -eo pcpu,comm --sort=-pcpu | awk 'NR>1 && NR<=6 {printf "%s %s%%; ", $2, $1}'; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); busiest: $(busy)"
"$JAVA" -cp "bench/target/classes:response/target/classes:$(cat "$cpfile")" dev.stasis.bench.response.LoadGenerator \
  "$ALERTS" "$CONCURRENCY" "$CONTAINERS" "$MAX_SECONDS" "$CLIENT"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
