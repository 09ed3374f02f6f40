#!/usr/bin/env bash
# Alert load against the response engine on loopback: accepted alerts/s and the
# latency from POST to the checkpoint request leaving stasis (target: >= 5000/s,
# p99 < 20 ms), then a storm over a few containers showing the cool-down holding.
# Bounded: ALERTS alerts, at most MAX_SECONDS per phase. Real HTTP server, bearer
# auth, policy and fsynced journal; the checkpoint backend only timestamps.
# CLIENT=socket (default: plain keep-alive HTTP/1.1 sockets, cheap enough not to
# starve the server of the shared cores) or jdk (java.net.http, several times
# costlier per request than the server itself).
#
#   bench/response-load.sh [ALERTS=20000] [CONCURRENCY=64] [CONTAINERS=50] [MAX_SECONDS=60] [CLIENT=socket]
set -euo pipefail
cd "$(dirname "$0")/.."
ALERTS=${1:-20000}; CONCURRENCY=${2:-64}; CONTAINERS=${3:-50}; MAX_SECONDS=${4:-60}; CLIENT=${5:-socket}
./mvnw -q -B -o -pl cli -am package -DskipTests >/dev/null
. .mvn/find-jdk.sh
JAVA=$JAVA_HOME/bin/java
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$JAVA" -cp "cli/target/stasis.jar:cli/target/lib/*" dev.stasis.response.bench.LoadGenerator \
  "$ALERTS" "$CONCURRENCY" "$CONTAINERS" "$MAX_SECONDS" "$CLIENT"
