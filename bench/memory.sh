#!/bin/sh
# Memory search benchmark: stasis vs ripgrep, checkpointctl and zstd on a real
# CRIU checkpoint of a process holding >= 1 GiB of varied data.
#
#   bench/memory.sh [PATH/TO/checkpointctl]     (default: /tmp/checkpointctl/checkpointctl if present)
#
# Makes the checkpoint once with podman + CRIU (see shared/docs/lab.md) under
# $BENCH_DIR (default /tmp/stasis-bench-memory; never inside the repository):
# memfill.tar (uncompressed, like kubelet's) and memfill.tar.zst. ripgrep runs
# on the raw pages-*.img extracted next to them (rg -o -a -F: the practical
# floor for a literal search). stasis runs on the tar (page images mapped in
# place), on the unpacked directory (mapped) and on the zstd archive (indexed
# in one decompression pass, then searched while a second pass streams the
# page image: no spill file). Every figure is the best of $RUNS runs of the
# whole command (JVM start included), page cache warm; "search alone" is what
# stasis's --stats reports for the search (after the checkpoint is opened).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-/tmp/stasis-bench-memory}
runs=${RUNS:-3}
cpctl=${1:-}
if [ -z "$cpctl" ] && [ -x /tmp/checkpointctl/checkpointctl ]; then cpctl=/tmp/checkpointctl/checkpointctl; fi
lit='STASIS-MARKER-BOUNDARY-424242'
re='STASIS-MARKER-[A-Z]+-[0-9]+'
mkdir -p "$dir"

made=$(sh "$root/bench/memfill-checkpoint.sh" "$dir" --with-zstd)
if [ "$made" = made ]; then rm -rf "$dir/raw"; fi   # unpacked from the older checkpoint
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
# no rebuild inside the timed runs; the launcher's AOT cache (if this JDK has it) is recorded by
# this untimed first call, so the timed runs start the way a user's commands do
export STASIS_NO_BUILD=1
./stasis memory search "$root/testdata/checkpoints/irc-bot.tar" --text "$lit" >/dev/null 2>&1 || true

# best wall time of $runs runs of "$@"; the last run's output in $dir/out, stderr in $dir/err;
# peak RSS (KiB) and CPU seconds (user + system) of the best run in $dir/rss and $dir/cpu
best() {
  b=
  for _ in $(seq "$runs"); do
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M %U %S' -o "$dir/time" "$@" >"$dir/out" 2>"$dir/err" || true
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then
      b=$t
      tail -n 1 "$dir/time" | awk '{print $1}' >"$dir/rss"
      tail -n 1 "$dir/time" | awk '{printf "%.2f\n", $2 + $3}' >"$dir/cpu"
    fi
  done
  echo "$b"
}
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
gbps() { printf '%.2f' "$(echo "$bytes / $1 / 1000000000" | bc -l)"; }

echo "checkpoint: $dir/memfill.tar, $(ls -l "$dir/memfill.tar" | awk '{print $5}') bytes; .tar.zst $(ls -l "$dir/memfill.tar.zst" | awk '{print $5}') bytes; pages: $bytes bytes"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; best of $runs runs"
rg_lit=$(best rg -o -a -F "$lit" $pages); rg_lit_hits=$(wc -l <"$dir/out")
rg_lit_cpu=$(cat "$dir/cpu")
rg_re=$(best rg -o -a "$re" $pages); rg_re_hits=$(wc -l <"$dir/out"); rg_re_cpu=$(cat "$dir/cpu")
zt=$(best sh -c "zstd -dc '$dir/memfill.tar.zst' >/dev/null"); zt_cpu=$(cat "$dir/cpu")
echo "ratios are against rg's whole run (x1.00 = as fast as rg); GB/s = page bytes / time; cpu = user + system of the best run"
echo "peak RSS counts mapped page-cache pages: a mapped search of 1.1 GiB shows ~1.2 GiB although its heap stays ~100 MiB"
echo "warm = the launcher's background JVM (its cpu column is the client's alone), own = STASIS_DAEMON=0"
printf '%-46s %8.3f s  %6s GB/s  hits %s  cpu %s s\n' "rg -o -a -F (literal, raw pages)" "$rg_lit" "$(gbps "$rg_lit")" "$rg_lit_hits" "$rg_lit_cpu"
printf '%-46s %8.3f s  %6s GB/s  hits %s  cpu %s s\n' "rg -o -a (regex, raw pages)" "$rg_re" "$(gbps "$rg_re")" "$rg_re_hits" "$rg_re_cpu"
printf '%-46s %8.3f s  %6s GB/s  cpu %s s  (the bound for one zstd pass)\n' "zstd -dc (decompression alone)" "$zt" "$(gbps "$zt")" "$zt_cpu"

# Each search is timed twice: "warm" as a user runs it (the launcher hands it to its background
# JVM, see README "Start-up"), "own" with STASIS_DAEMON=0 (a JVM of its own, as for the first
# command of a session). Peak RSS is the own JVM's; the background JVM's is printed at the end.
run() { # label, reference time, stasis args...
  label=$1; ref=$2; shift 2
  for mode in warm own; do
    if [ "$mode" = own ]; then export STASIS_DAEMON=0; else export STASIS_DAEMON=1; fi
    t=$(best ./stasis memory search "$@" --format json --max-hits 100000 --stats)
    hits=$(grep -c '"pid"' "$dir/out" || true)
    rss="-"
    [ "$mode" = own ] && rss="$(( $(grep -E '^[0-9]+$' "$dir/rss" | tail -n 1) / 1024 )) MiB"
    # the search alone, without JVM start-up and checkpoint opening (from --stats of the last run)
    s=$(sed -n 's/.* in \([0-9.]*\) s .*/\1/p' "$dir/err" | tail -n 1)
    [ -n "$s" ] || { echo "$label: stasis failed: $(head -c 300 "$dir/err")"; return; }
    printf '%-52s %8.3f s (x%s rg)  search alone %6.3f s = %5s GB/s (x%s rg)  hits %s  peak RSS %s  cpu %s s\n' "$label, $mode" "$t" "$(ratio "$t" "$ref")" \
      "$s" "$(gbps "$s")" "$(ratio "$s" "$ref")" "$hits" "$rss" "$(cat "$dir/cpu")"
    eval "last_$mode=\$t"
  done
  unset STASIS_DAEMON
}
run "stasis literal, plain tar (mapped)" "$rg_lit" "$dir/memfill.tar" --text "$lit"
boundary=$(grep '"address"' "$dir/out" | sed 's/.*"0x\([0-9a-f]*\)".*/\1/' | tr '\n' ' ')
tar_lit=$last_warm tar_lit_own=$last_own
run "stasis regex, plain tar (mapped)" "$rg_re" "$dir/memfill.tar" --regex "$re"
run "stasis literal, unpacked directory (mapped)" "$rg_lit" "$dir/raw" --text "$lit"
run "stasis regex, unpacked directory (mapped)" "$rg_re" "$dir/raw" --regex "$re"
run "stasis literal, zstd archive (streamed)" "$rg_lit" "$dir/memfill.tar.zst" --text "$lit"
zst_lit=$last_warm
run "stasis regex, zstd archive (streamed)" "$rg_re" "$dir/memfill.tar.zst" --regex "$re"
echo "zstd archive: stasis decompresses twice (index at open, then the page image while searching): bound 2 x zstd -dc = $(printf '%.3f' "$(echo "2 * $zt" | bc -l)") s; whole command / bound = $(ratio "$zst_lit" "$(echo "2 * $zt" | bc -l)")"

# heap stays flat: the same search on a 7 MiB fixture for comparison
daemon_pid=$(./stasis daemon status | awk -v cwd="$root" '$2 == cwd {print $1; exit}')
if [ -n "$daemon_pid" ]; then
  echo "background JVM (pid $daemon_pid) after these searches: RSS $(awk '/VmRSS/ {print $2, $3}' "/proc/$daemon_pid/status") (peak $(awk '/VmHWM/ {print $2, $3}' "/proc/$daemon_pid/status"), mapped page cache included)"
fi
STASIS_DAEMON=0 ./stasis memory search "$root/testdata/checkpoints/irc-bot.tar" --text "$lit" >/dev/null 2>&1 || true
STASIS_DAEMON=0 /usr/bin/time -f %M -o "$dir/rss" ./stasis memory search "$root/testdata/checkpoints/irc-bot.tar" --text "$lit" >/dev/null 2>&1 || true   # %M alone: the file holds one number
echo "peak RSS of the same search on testdata/checkpoints/irc-bot.tar (7 MiB of pages): $(( $(grep -E '^[0-9]+$' "$dir/rss" | tail -n 1) / 1024 )) MiB"

if [ -n "$cpctl" ]; then
  ct=$(best "$cpctl" memparse --pid 1 --search "$lit" "$dir/memfill.tar")
  rss=$(grep -E '^[0-9]+$' "$dir/rss" | tail -n 1)
  printf '%-46s %8.3f s  %6s GB/s  peak RSS %s MiB  cpu %s s\n' "checkpointctl memparse --search (pid 1)" "$ct" "$(gbps "$ct")" "$((${rss:-0} / 1024))" "$(cat "$dir/cpu")"
  echo "stasis literal on the plain tar (whole command) is $(ratio "$ct" "$tar_lit")x faster than checkpointctl (target >= 5); in a JVM of its own $(ratio "$ct" "$tar_lit_own")x"
else
  echo "checkpointctl: not measured (pass its binary path as the first argument)"
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# the marker was placed across a page boundary: stasis must report it there
for a in $boundary; do
  off=$(( 0x$a % 4096 ))
  echo "marker hit at 0x$a (page offset $off, ${#lit} bytes): crosses a page boundary: $([ $((off + ${#lit})) -gt 4096 ] && echo yes || echo no)"
done
