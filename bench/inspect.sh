#!/usr/bin/env bash
# Times `stasis inspect --all --format json` against checkpointctl's on the bundled checkpoints
# and prints the wall-time ratio and each tool's peak RSS.
#
#   bench/inspect.sh /path/to/checkpointctl [ARCHIVE...]
#
# Needs hyperfine and GNU time (/usr/bin/time -v). checkpointctl is not part of this project:
# build it yourself from its public repository and pass the binary's path.
# checkpointctl --all aborts on archives whose argument or environment areas were rewritten (all the
# bundled ones: "invalid environment variable"), so it is timed with its richest flags that succeed;
# the note column says which. stasis always runs --all (a superset of that output).
set -euo pipefail

ctl=${1:?usage: bench/inspect.sh CHECKPOINTCTL_BINARY [ARCHIVE...]}
shift
[ -x "$ctl" ] || { echo "bench: $ctl is not executable" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench: hyperfine is not installed" >&2; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
stasis="${STASIS:-$root/stasis}"   # STASIS=... to time another launcher
if [ $# -gt 0 ]; then archives=("$@"); else
  archives=("$root"/testdata/checkpoints/benign-web.tar.zst "$root"/testdata/checkpoints/irc-bot.pre.tar.zst
            "$root"/testdata/checkpoints/irc-bot.tar.zst "$root"/testdata/checkpoints/irc-bot.tar
            "$root"/testdata/checkpoints/fileless-miner.tar.gz)
fi

# Build once (and record the AOT cache) so that neither is counted.
"$stasis" inspect --all --format json "${archives[0]}" >/dev/null
export STASIS_NO_BUILD=1

peak_rss_kib() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-28s %10s %10s %7s %12s %12s  %s\n' archive stasis_ms ctl_ms ratio stasis_rss ctl_rss note
for a in "${archives[@]}"; do
  # checkpointctl's richest run that succeeds on this archive
  note=""
  for flags in "--all" "--ps-tree-cmd --files --sockets --mounts --stats --metadata" "--ps-tree --files --sockets --mounts --stats --metadata"; do
    read -r -a ctl_args <<<"inspect $flags --format json"
    if "$ctl" "${ctl_args[@]}" "$a" >/dev/null 2>&1; then break; fi
    note="checkpointctl fails with $flags;"
  done
  [ -n "$note" ] && note="$note timed: ${ctl_args[*]}"
  hyperfine -N --warmup 2 --runs 10 --export-json "$out/h.json" \
    "$stasis inspect --all --format json $a" "$ctl ${ctl_args[*]} $a" >/dev/null 2>&1 || true
  read -r s_ms c_ms < <(python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))["results"]
print(" ".join(str(round(x["mean"]*1000)) for x in r))' "$out/h.json")
  ratio=$(python3 -c "print(f'{$s_ms/$c_ms:.2f}')")
  s_rss=$(peak_rss_kib "$stasis" inspect --all --format json "$a")
  c_rss=$(peak_rss_kib "$ctl" "${ctl_args[@]}" "$a" || true)
  printf '%-28s %10s %10s %7s %9s KiB %9s KiB  %s\n' "$(basename "$a")" "$s_ms" "$c_ms" "$ratio" "$s_rss" "${c_rss:-?}" "$note"
done
echo "ratio = stasis / checkpointctl mean wall time (hyperfine, 10 runs, 2 warm-ups); $(date -u +%F) on $(nproc) cores, $(uname -m)"
