#!/bin/sh
# Core file benchmark: `stasis coredump` vs CRIU's own criu-coredump (coredump/ in
# CRIU's repository, Python, reads the images with pycriu) on the same checkpoints.
#
#   bench/coredump.sh [PATH/TO/criu/coredump/coredump]
#
# criu-coredump comes from $1, else from the CRIU git mirror (/work/.mirror/checkpoint-restore+criu,
# exported to $BENCH_DIR/criu-coredump), and runs with /usr/bin/python3 (python3-pycriu).
# Inputs: the bundled archives (every process) and a real podman + CRIU checkpoint of a
# perl process holding 1.1 GiB (bench/memory-fill.pl; made once under $BENCH_DIR, default
# /tmp/stasis-bench-coredump, never inside the repository). criu-coredump needs an unpacked
# image directory and reads the pages CRIU did not dump from THIS machine's files (it fails
# when they are missing, e.g. a deleted binary); stasis reads the archive as is and only
# ever uses the checkpoint's own bytes. Figures: best wall time of $RUNS runs of the whole
# command (JVM or Python start included), peak RSS, page cache warm. Each core is checked
# with gdb (rip equal to what crit decoded from core-PID.img). criu-coredump looks every page
# up by scanning the whole pagemap (quadratic), so on the 1.1 GiB checkpoint it runs one try
# capped at $REF_TIMEOUT seconds (default 600).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-/tmp/stasis-bench-coredump}
runs=${RUNS:-3}
ref_timeout=${REF_TIMEOUT:-600}
py=/usr/bin/python3
mkdir -p "$dir"

ref=${1:-}
if [ -z "$ref" ]; then
  mirror=/work/.mirror/checkpoint-restore+criu/repo
  if [ ! -x "$dir/criu-coredump/coredump/coredump" ] && [ -d "$mirror" ]; then
    mkdir -p "$dir/criu-coredump"
    git -C "$mirror" archive HEAD coredump | tar -x -C "$dir/criu-coredump"
    rm -f "$dir/criu-coredump/coredump/pycriu"   # a symlink into CRIU's tree; the installed pycriu is used
  fi
  ref="$dir/criu-coredump/coredump/coredump"
fi
[ -x "$ref" ] || { echo "criu-coredump not found (pass its path)" >&2; exit 1; }
$py -c 'import pycriu' 2>/dev/null || { echo "pycriu missing: apt-get install python3-pycriu" >&2; exit 1; }

sh "$root/bench/memfill-checkpoint.sh" "$dir" >/dev/null

cd "$root"
if [ "${BENCH_NO_BUILD-}" != 1 ]; then
  ./mvnw -q -B -o -pl cli -am package -Dmaven.test.skip=true >/dev/null 2>&1 || echo "warning: the build failed; using the existing cli/target/stasis.jar" >&2
fi
# a JVM of its own for every run (no background JVM): its peak RSS is what the table reports
export STASIS_NO_BUILD=1 STASIS_AOT=0 STASIS_DAEMON=0

# best wall time of $runs runs of "$@" (seconds in $best, peak RSS KiB in $rss, exit status in $rc, stderr in $dir/err)
best() {
  best=; rss=; rc=0
  for _ in $(seq "$runs"); do
    t0=$(date +%s.%N)
    if /usr/bin/time -f %M -o "$dir/rss" "$@" >"$dir/out" 2>"$dir/err"; then rc=0; else rc=$?; fi
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    rss=$(tail -n 1 "$dir/rss")
  done
}

# rip of every core in $1 against crit's decoding of the images in $2: "ok N" or "FAILED pid ..."
check() {
  n=0; bad=
  for core in "$1"/core.*; do
    [ -f "$core" ] || continue
    pid=${core##*.}
    want=$(crit decode -i "$2/core-$pid.img" 2>/dev/null | $py -c 'import json,sys; print(hex(json.load(sys.stdin)["entries"][0]["thread_info"]["gpregs"]["ip"]))' 2>/dev/null || echo none)
    got=$(gdb -nx -batch -c "$core" -ex 'info registers rip' 2>/dev/null | awk '/^rip/ {print $2}')
    if [ "$want" = "$got" ]; then n=$((n + 1)); else bad="$bad $pid"; fi
  done
  if [ -n "$bad" ]; then echo "FAILED pids$bad"; else echo "ok $n"; fi
}

printf '%-24s | %-33s | %-68s | %s\n' "checkpoint" "stasis coredump (s, RSS, gdb rip)" "criu-coredump (s, RSS, gdb rip)" "stasis/criu"
for a in testdata/checkpoints/irc-bot.tar testdata/checkpoints/benign-web.tar.zst testdata/checkpoints/fileless-miner.tar.gz "$dir/memfill.tar"; do
  name=$(basename "$a")
  imgs="$dir/unpacked/$name"
  if [ ! -d "$imgs/checkpoint" ]; then mkdir -p "$imgs"; tar -x -C "$imgs" -f "$a" checkpoint/; fi
  cat "$a" >/dev/null

  rm -rf "$dir/stasis-out"; mkdir -p "$dir/stasis-out"
  best ./stasis coredump "$a" -o "$dir/stasis-out"
  s_t=$best; s_rss=$((rss / 1024)); s_ok=$(if [ $rc = 0 ]; then check "$dir/stasis-out" "$imgs/checkpoint"; else head -n 1 "$dir/err"; fi)

  rm -rf "$dir/criu-out"; mkdir -p "$dir/criu-out"
  if [ "$name" = memfill.tar ]; then r=$runs; runs=1; best timeout "$ref_timeout" $py "$ref" -i "$imgs/checkpoint" -o "$dir/criu-out"; runs=$r
  else best $py "$ref" -i "$imgs/checkpoint" -o "$dir/criu-out"; fi
  c_t=$best; c_rss=$((rss / 1024))
  if [ $rc = 124 ]; then c_ok="no core within ${ref_timeout} s (killed)"
  elif [ $rc = 0 ]; then c_ok=$(check "$dir/criu-out" "$imgs/checkpoint"); else c_ok="fails: $(grep -h -m 1 -i error "$dir/out" "$dir/err" | cut -c1-36)"; fi

  case $c_ok in
    ok*) ratio=$(printf 'x%.2f' "$(echo "scale=4; $s_t / $c_t" | bc)") ;;
    *) ratio="n/a" ;;
  esac
  printf '%-24s | %7.2f s %5d MiB %-12s | %7.2f s %5d MiB %-44s | %s\n' "$name" "$s_t" "$s_rss" "$s_ok" "$c_t" "$c_rss" "$c_ok" "$ratio"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
