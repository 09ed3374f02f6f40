#!/usr/bin/env bash
# Two `stasis serve` replicas sharing one PostgreSQL (store.postgres), against
# one replica on the default file journal: ALERTS alerts over CONTAINERS
# containers (cool-down 1h, so one checkpoint each), keep-alive senders on
# loopback. In the two-replica round the first replica is killed with kill -9
# after half the alerts were sent and started again RESTART_MS later; its
# unanswered POSTs go to the other replica (as a Service routes them).
# Checked from the tables (plain SQL) and from a stand-in podman's calls file:
# every 202 is one row, finished; each container checkpointed exactly once;
# alerts taken over from the killed replica. Prints alerts/s and POST->202
# p50/p99 for both rounds.
# The checkpoint backend is podman, its command a script that records the call
# (CONTAINER ARCHIVE PID, one line) and writes a real lab checkpoint archive
# (testdata/checkpoints/benign-web.tar.zst) where --export says, after SLEEP s;
# so a replica killed mid-checkpoint leaves what a real podman leaves, and the
# replica that takes the alert over adopts the finished archive (no second call).
# Needs PostgreSQL on 127.0.0.1:5432 (.ci/postgres-up) and cli built
# (STASIS_NO_BUILD=1 skips building bench and cli).
#
#   bench/ha-serve.sh [ALERTS=20000] [CONTAINERS=400] [CONCURRENCY=64] [RESTART_MS=3000] [SLEEP=0.05] [LEASE=3s]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
ALERTS=${1:-20000}; CONTAINERS=${2:-400}; CONCURRENCY=${3:-64}; RESTART_MS=${4:-3000}; SLEEP=${5:-0.05}; LEASE=${6:-3s}
PG_URL=${STASIS_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/stasis_test}
PG_USER=${STASIS_TEST_PG_USER:-stasis}; PG_PASSWORD=${STASIS_TEST_PG_PASSWORD:-stasis}
if [ -z "${STASIS_NO_BUILD:-}" ]; then
  ./mvnw -q -B -o -pl bench package -DskipTests >/dev/null
  ./mvnw -q -B -o -pl cli package -DskipTests >/dev/null
fi
cpfile=$(mktemp /tmp/stasis-bench-cp.XXXXXX)
work=$(mktemp -d /tmp/stasis-ha.XXXXXX)
trap 'rm -f "$cpfile"; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
./mvnw -q -B -o -pl bench dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
. .mvn/find-jdk.sh
stasis_find_jdk
JAVA=$JAVA_HOME/bin/java
jar=cli/target/stasis.jar

# a schema of its own in the test database, dropped at the end
schema=ha_bench_$$
psql_() { PGPASSWORD=$PG_PASSWORD psql -qAt -h 127.0.0.1 -U "$PG_USER" "${PG_URL##*/}" -c "$1"; }
psql_ "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
trap 'rm -f "$cpfile"; psql_ "DROP SCHEMA IF EXISTS $schema CASCADE" || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
url="$PG_URL?currentSchema=$schema"

cat > "$work/podman" <<SH
#!/bin/bash
# stand-in for: podman container checkpoint --tcp-established --export=F --compress zstd [--leave-running] -- REF
for a in "\$@"; do case \$a in --export=*) out=\${a#--export=};; esac; done
ref=\${@: -1}
echo "\$ref \$out \$\$" >> "$work/calls"
sleep $SLEEP
cp "$root/testdata/checkpoints/benign-web.tar.zst" "\$out.part" && mv "\$out.part" "\$out"
SH
chmod +x "$work/podman"
printf load-token > "$work/token.txt"  # the token the load generator's senders present
cat > "$work/policy.yaml" <<'YAML'
cooldown: 1h
rules:
  - name: freeze
    match: {rule: "Outbound Connection*", priority: Critical}
    actions: [{checkpoint: {backend: podman}}]
YAML
echo "$PG_PASSWORD" > "$work/pg-password"
config() { # NAME PORT [store]
  { echo "listen: 127.0.0.1:$2"
    echo "auth: {mode: bearer, tokenFile: token.txt}"
    echo "policy: policy.yaml"
    echo "stateDir: state-$1"
    echo "vault: vault-$1"
    echo "podman: {command: $work/podman, exportDir: $work/checkpoints}"
    [ -z "${3:-}" ] || echo "store: {postgres: '$url', user: $PG_USER, passwordFile: pg-password, lease: $LEASE, replica: $1}"
  } > "$work/$1.yaml"
  { echo "$2"; echo "$JAVA"; for o in ${STASIS_BENCH_JVM:--Xmx512m -XX:+UseSerialGC}; do echo "$o"; done
    echo "-jar"; echo "$jar"; echo "serve"; echo "-c"; echo "$work/$1.yaml"; } > "$work/$1.cmd"
}
config single 18770
config a 18771 store
config b 18772 store
: > "$work/calls"
busy() { ps -eo pcpu,comm --sort=-pcpu | awk 'NR>1 && NR<=6 {printf "%s %s%%; ", $2, $1}'; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); busiest: $(busy)"
"$JAVA" -cp "bench/target/classes:$(cat "$cpfile")" dev.stasis.bench.response.HaServe "$ALERTS" "$CONTAINERS" "$CONCURRENCY" \
  "$work/single.cmd" "$work/a.cmd" "$work/b.cmd" "$work/calls" "$url" "$PG_USER" "$PG_PASSWORD" "$RESTART_MS"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); replica logs in $work (KEEP=1 keeps them)"
