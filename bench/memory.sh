#!/bin/sh
# Memory search benchmark: stasis vs ripgrep (and checkpointctl if given) on a
# real CRIU checkpoint of a process holding >= 1 GiB of varied data.
#
#   bench/memory.sh [PATH/TO/checkpointctl]
#
# Makes the checkpoint once with podman + CRIU (see shared/docs/lab.md) under
# $BENCH_DIR (default /tmp/stasis-bench-memory; never inside the repository):
# memfill.tar (uncompressed, like kubelet's) and memfill.tar.zst. ripgrep runs
# on the raw pages-*.img extracted next to them (rg -o -a -F: the practical
# floor for a literal search). stasis runs on the tar, on the unpacked
# directory (mapped in place) and on the zstd archive. Every figure is the best
# of $RUNS runs of the whole command (JVM start included), page cache warm.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-/tmp/stasis-bench-memory}
runs=${RUNS:-3}
cpctl=${1:-}
lit='STASIS-MARKER-BOUNDARY-424242'
re='STASIS-MARKER-[A-Z]+-[0-9]+'
mkdir -p "$dir"

if [ ! -f "$dir/memfill.tar" ] || [ ! -f "$dir/memfill.tar.zst" ]; then
  command -v podman >/dev/null || { echo "podman is needed to make the benchmark checkpoint (shared/docs/lab.md)" >&2; exit 1; }
  echo "making the checkpoint (a process filling 1.1 GiB)..." >&2
  podman rm -f stasis-bench-memfill >/dev/null 2>&1 || true
  cp "$root/bench/memory-fill.pl" "$dir/fill.pl"
  podman --runtime runc run -d --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --name stasis-bench-memfill \
    -v "$dir/fill.pl:/fill.pl:ro" localhost/base:12 perl /fill.pl >/dev/null
  until podman logs stasis-bench-memfill 2>/dev/null | grep -q ready; do sleep 2; done
  podman container checkpoint --leave-running --export="$dir/memfill.tar" --compress none stasis-bench-memfill >/dev/null
  podman container checkpoint --export="$dir/memfill.tar.zst" --compress zstd stasis-bench-memfill >/dev/null
  podman rm -f stasis-bench-memfill >/dev/null 2>&1 || true
  rm -rf "$dir/raw"
fi
if [ ! -d "$dir/raw/checkpoint" ]; then
  mkdir -p "$dir/raw"
  tar -x -C "$dir/raw" -f "$dir/memfill.tar" checkpoint/
fi
pages=$(ls "$dir"/raw/checkpoint/pages-*.img)
bytes=$(cat $pages | wc -c)
cat $pages "$dir/memfill.tar" "$dir/memfill.tar.zst" >/dev/null   # warm the page cache

cd "$root"
if [ "${BENCH_NO_BUILD-}" != 1 ]; then
  ./mvnw -q -B -o -pl cli -am package -Dmaven.test.skip=true >/dev/null 2>&1 || echo "warning: the build failed; using the existing cli/target/stasis.jar" >&2
fi
# no rebuild and no AOT-cache recording inside the timed runs
export STASIS_NO_BUILD=1 STASIS_AOT=0

# best wall time of $runs runs of "$@"; the last run's output in $dir/out, stderr in $dir/err, peak RSS (KiB) in $dir/rss
best() {
  b=
  for _ in $(seq "$runs"); do
    t0=$(date +%s.%N)
    /usr/bin/time -f %M -o "$dir/rss" "$@" >"$dir/out" 2>"$dir/err" || true
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
  done
  echo "$b"
}
ratio() { echo "scale=2; $1 / $2" | bc -l; }
gbps() { echo "scale=2; $bytes / $1 / 1000000000" | bc -l; }

echo "checkpoint: $dir/memfill.tar, $(ls -l "$dir/memfill.tar" | awk '{print $5}') bytes; pages: $bytes bytes; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
rg_lit=$(best rg -o -a -F "$lit" $pages); rg_lit_hits=$(wc -l <"$dir/out")
rg_re=$(best rg -o -a "$re" $pages); rg_re_hits=$(wc -l <"$dir/out")
echo "ratios: whole command (JVM start included) and the search alone, each against rg's whole run"
printf '%-44s %8.3f s  %6s GB/s  hits %s\n' "rg -o -a -F (literal, raw pages)" "$rg_lit" "$(gbps "$rg_lit")" "$rg_lit_hits"
printf '%-44s %8.3f s  %6s GB/s  hits %s\n' "rg -o -a (regex, raw pages)" "$rg_re" "$(gbps "$rg_re")" "$rg_re_hits"

run() { # label, reference time, stasis args...
  label=$1; ref=$2; shift 2
  t=$(best ./stasis memory search "$@" --format json --max-hits 100000 --stats)
  hits=$(grep -c '"pid"' "$dir/out" || true)
  rss=$(grep -E '^[0-9]+$' "$dir/rss" | tail -n 1)
  # the search alone, without JVM start-up and checkpoint opening (from --stats of the last run)
  s=$(sed -n 's/.* in \([0-9.]*\) s .*/\1/p' "$dir/err" | tail -n 1)
  printf '%-44s %8.3f s (x%s rg)  search alone %s s = %s GB/s (x%s rg)  hits %s  peak RSS %s MiB\n' "$label" "$t" "$(ratio "$t" "$ref")" \
    "$s" "$(gbps "$s")" "$(ratio "$s" "$ref")" "$hits" "$((${rss:-0} / 1024))"
}
run "stasis literal, plain tar" "$rg_lit" "$dir/memfill.tar" --text "$lit"
boundary=$(grep '"address"' "$dir/out" | sed 's/.*"0x\([0-9a-f]*\)".*/\1/' | tr '\n' ' ')
run "stasis literal, unpacked directory (mmap)" "$rg_lit" "$dir/raw" --text "$lit"
run "stasis regex, plain tar" "$rg_re" "$dir/memfill.tar" --regex "$re"
run "stasis regex, unpacked directory (mmap)" "$rg_re" "$dir/raw" --regex "$re"
run "stasis literal, zstd archive" "$rg_lit" "$dir/memfill.tar.zst" --text "$lit"
zt=$(best sh -c "zstd -dc '$dir/memfill.tar.zst' >/dev/null")
printf '%-44s %8.3f s  %6s GB/s\n' "zstd -dc (decompression alone)" "$zt" "$(gbps "$zt")"

# heap stays flat: the same search on a 7 MiB fixture for comparison
./stasis memory search "$root/testdata/checkpoints/irc-bot.tar" --text "$lit" >/dev/null 2>&1 || true
/usr/bin/time -f %M -o "$dir/rss" ./stasis memory search "$root/testdata/checkpoints/irc-bot.tar" --text "$lit" >/dev/null 2>&1 || true
echo "peak RSS of the same search on testdata/checkpoints/irc-bot.tar (7 MiB of pages): $(( $(grep -E '^[0-9]+$' "$dir/rss" | tail -n 1) / 1024 )) MiB"

if [ -n "$cpctl" ]; then
  ct=$(best "$cpctl" memparse --pid 1 --search "$lit" "$dir/memfill.tar")
  printf '%-44s %8.3f s  %6s GB/s\n' "checkpointctl memparse --search (pid 1)" "$ct" "$(gbps "$ct")"
else
  echo "checkpointctl: not measured (pass its binary path as the first argument)"
fi

# the marker was placed across a page boundary: stasis must report it there
for a in $boundary; do
  off=$(( 0x$a % 4096 ))
  echo "marker hit at 0x$a (page offset $off, ${#lit} bytes): crosses a page boundary: $([ $((off + ${#lit})) -gt 4096 ] && echo yes || echo no)"
done
