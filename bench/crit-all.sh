#!/usr/bin/env bash
# Times the whole-checkpoint decode `stasis crit decode -i ARCHIVE -o DIR` against what it replaces:
# one `crit decode -i IMG -o OUT` (CRIU's crit, python3-pycriu) per image of the unpacked archive,
# over the same images. stasis is timed as a user runs it (the launcher hands the command to its warm
# background JVM) and with STASIS_DAEMON=0 (a JVM of its own). Prints crit/stasis ratios (higher is
# better for stasis) and the load average, which these wall times depend on.
#
#   bench/crit-all.sh [ARCHIVE...]     (default: irc-bot.tar.zst and fileless-miner.tar.gz)
#
# Uses hyperfine when installed, else the best of 3 runs timed with date +%s%N.
set -euo pipefail

command -v crit >/dev/null || { echo "bench: crit is not installed (apt-get install python3-pycriu)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
stasis="${STASIS:-$root/stasis}"   # STASIS=... to time another launcher
if [ $# -gt 0 ]; then archives=("$@"); else
  archives=("$root"/testdata/checkpoints/irc-bot.tar.zst "$root"/testdata/checkpoints/fileless-miner.tar.gz)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Build once (and start the background JVM) so that neither is counted.
"$stasis" crit decode -i "${archives[0]}" -o "$work/first" >/dev/null
rm -rf "$work/first"
export STASIS_NO_BUILD=1

# best_ms PREPARE COMMAND...: the fastest of 3 runs in milliseconds, PREPARE run untimed before each
best_ms() {
  local prepare=$1 best="" t0 t1 ms; shift
  for _ in 1 2 3; do
    eval "$prepare"
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

crit_loop() { # crit_loop IMAGEDIR OUTDIR NAMES...
  local dir=$1 out=$2; shift 2
  for n in "$@"; do crit decode -i "$dir/$n" -o "$out/$n.json"; done
}

printf '%-24s %7s %9s %9s %9s %10s %9s\n' archive images warm_ms own_ms crit_ms crit/warm crit/own
for a in "${archives[@]}"; do
  name=$(basename "$a")
  unpacked="$work/$name.d"; mkdir -p "$unpacked"
  tar -xf "$a" -C "$unpacked" checkpoint   # GNU tar sniffs zstd/gzip itself
  # the images stasis decodes are the ones crit can: take the list from stasis's own run
  "$stasis" crit decode -i "$a" -o "$work/list" >/dev/null
  mapfile -t images < <(cd "$work/list" && ls | sed 's/\.json$//')
  rm -rf "$work/list"
  for _ in $(seq 5); do "$stasis" crit decode -i "$a" -o "$work/w" >/dev/null; rm -rf "$work/w"; done  # let the JIT see it

  s_out="$work/s"; c_out="$work/c"
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 2 --runs 10 --export-json "$work/h.json" \
      --prepare "rm -rf $s_out" "$stasis crit decode -i $a -o $s_out" \
      --prepare "rm -rf $s_out" "env STASIS_DAEMON=0 $stasis crit decode -i $a -o $s_out" >/dev/null 2>&1
    read -r warm own < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join(str(round(x["min"]*1000)) for x in r))' "$work/h.json")
  else
    warm=$(best_ms "rm -rf $s_out" "$stasis" crit decode -i "$a" -o "$s_out")
    own=$(best_ms "rm -rf $s_out" env STASIS_DAEMON=0 "$stasis" crit decode -i "$a" -o "$s_out")
  fi
  crit_ms=$(best_ms "rm -rf $c_out; mkdir -p $c_out" crit_loop "$unpacked/checkpoint" "$c_out" "${images[@]}")
  # the same bytes, or the comparison means nothing (crit -o writes no final newline; stdout has one)
  rm -rf "$s_out"; "$stasis" crit decode -i "$a" -o "$s_out" >/dev/null
  for n in "${images[@]}"; do
    cmp -s <(cat "$c_out/$n.json"; echo) "$s_out/$n.json" || { echo "bench: $name/$n differs from crit's" >&2; exit 1; }
  done
  printf '%-24s %7s %9s %9s %9s %9sx %8sx\n' "$name" "${#images[@]}" "$warm" "$own" "$crit_ms" \
    "$(python3 -c "print(f'{$crit_ms/max($warm,1):.1f}')")" "$(python3 -c "print(f'{$crit_ms/max($own,1):.1f}')")"
done
echo "warm = the launcher's background JVM, own = STASIS_DAEMON=0, crit = one 'crit decode -i IMG -o OUT' per image"
echo "(best of 3; hyperfine's minimum of 10 when installed); $(date -u +%F) on $(nproc) cores, $(uname -m), crit $(crit --version 2>/dev/null || echo '?')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
