#!/bin/sh
# `stasis memory artefacts` against one literal `stasis memory search` on the benchmark's 1.1 GiB
# checkpoint (bench/memfill-checkpoint.sh; real podman + CRIU, shared/docs/lab.md), and the
# same for `stasis analyze`, printing each as a ratio to the literal search (issue 18's target:
# within 2x). Both run in a JVM of their own (STASIS_DAEMON=0), best of $RUNS runs, page cache warm.
#
#   bench/artefacts.sh            (BENCH_DIR, default /tmp/stasis-bench-memory, shared with bench/memory.sh)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-/tmp/stasis-bench-memory}
runs=${RUNS:-3}
mkdir -p "$dir"
sh "$root/bench/memfill-checkpoint.sh" "$dir" >/dev/null
tar=$dir/memfill.tar
cat "$tar" >/dev/null   # warm the page cache

cd "$root"
if [ "${BENCH_NO_BUILD-}" != 1 ]; then
  ./mvnw -q -B -o -pl cli -am package -Dmaven.test.skip=true >/dev/null 2>&1 || echo "warning: the build failed; using the existing cli/target/stasis.jar" >&2
fi
export STASIS_NO_BUILD=1 STASIS_DAEMON=0

# best wall time of $runs runs of "$@"; CPU seconds (user + system) of the best run in $dir/cpu
best() {
  b=
  for _ in $(seq "$runs"); do
    t0=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$dir/time" "$@" >"$dir/out" 2>"$dir/err" || { echo "failed: $*: $(head -c 300 "$dir/err")" >&2; exit 1; }
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then
      b=$t
      tail -n 1 "$dir/time" | awk '{printf "%.2f\n", $1 + $2}' >"$dir/cpu"
    fi
  done
  echo "$b"
}
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

echo "checkpoint: $tar, $(ls -l "$tar" | awk '{print $5}') bytes; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); best of $runs runs"
search=$(best ./stasis memory search "$tar" --text STASIS-MARKER-BOUNDARY-424242); search_cpu=$(cat "$dir/cpu")
art=$(best ./stasis memory artefacts "$tar" --format json); art_cpu=$(cat "$dir/cpu")
found=$(grep -c '"kind"' "$dir/out" || true)
ana=$(best ./stasis analyze "$tar" -q --format json -o "$dir/report.json"); ana_cpu=$(cat "$dir/cpu")
printf '%-34s %7.3f s  cpu %5s s\n' "memory search --text (literal)" "$search" "$search_cpu"
printf '%-34s %7.3f s  cpu %5s s  x%s the literal search (target <= 2)  credentials %s\n' "memory artefacts" "$art" "$art_cpu" "$(ratio "$art" "$search")" "$found"
printf '%-34s %7.3f s  cpu %5s s  x%s the literal search\n' "analyze" "$ana" "$ana_cpu" "$(ratio "$ana" "$search")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
