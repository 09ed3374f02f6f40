#!/usr/bin/env bash
# Times `stasis inspect --all --format json` against checkpointctl's on the bundled checkpoints
# and prints the wall-time ratios and each tool's peak RSS. stasis is timed twice: as a user runs
# it (the launcher hands the command to its warm background JVM, see README "Start-up") and with
# STASIS_DAEMON=0 (a JVM of its own for every command, the first command of a session).
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
# the background JVM: started by the first command above; these runs give it work to compile
for _ in $(seq 20); do "$stasis" inspect --all --format json "${archives[@]}" >/dev/null; done

printf '%-28s %9s %9s %9s %7s %7s %12s %12s  %s\n' archive warm_ms own_ms ctl_ms warm/ctl own/ctl own_rss ctl_rss note
for a in "${archives[@]}"; do
  # checkpointctl's richest run that succeeds on this archive
  # (checkpointctl 1.3.0 reads no pages, fds or sockets of compressed archives: only --ps-tree,
  # --mounts, --stats and --metadata succeed there)
  note="" ok=""
  for flags in "--all" "--ps-tree-cmd --files --sockets --mounts --stats --metadata" \
               "--ps-tree --files --sockets --mounts --stats --metadata" "--ps-tree --mounts --stats --metadata"; do
    read -r -a ctl_args <<<"inspect $flags --format json"
    if "$ctl" "${ctl_args[@]}" "$a" >/dev/null 2>&1; then ok=1; break; fi
    note="checkpointctl fails with $flags;"
  done
  if [ -z "$ok" ]; then
    printf '%-28s %s\n' "$(basename "$a")" "skipped: checkpointctl fails with every flag set"
    continue
  fi
  [ -n "$note" ] && note="fails with richer flags; timed: ${ctl_args[*]}"
  hyperfine -N --warmup 3 --runs 20 --export-json "$out/h.json" \
    "$stasis inspect --all --format json $a" "env STASIS_DAEMON=0 $stasis inspect --all --format json $a" \
    "$ctl ${ctl_args[*]} $a" >/dev/null 2>&1 || true
  read -r w_ms o_ms c_ms < <(python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))["results"]
print(" ".join(str(round(x["mean"]*1000)) for x in r))' "$out/h.json")
  w_ratio=$(python3 -c "print(f'{$w_ms/$c_ms:.2f}')")
  o_ratio=$(python3 -c "print(f'{$o_ms/$c_ms:.2f}')")
  o_rss=$(STASIS_DAEMON=0 peak_rss_kib "$stasis" inspect --all --format json "$a")
  c_rss=$(peak_rss_kib "$ctl" "${ctl_args[@]}" "$a" || true)
  printf '%-28s %9s %9s %9s %7s %7s %8s KiB %8s KiB  %s\n' "$(basename "$a")" "$w_ms" "$o_ms" "$c_ms" "$w_ratio" "$o_ratio" \
    "$o_rss" "${c_rss:-?}" "$note"
done
# this build's background JVM: the one whose command line runs this tree's jar
daemon_pid=""
for p in $("$stasis" daemon status 2>/dev/null | awk '{print $1}'); do
  if tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q "$root/cli/target/"; then daemon_pid=$p; break; fi
done
if [ -n "$daemon_pid" ]; then
  echo "background JVM (pid $daemon_pid): peak RSS $(awk '/VmHWM/ {print $2, $3}' "/proc/$daemon_pid/status"), now $(awk '/VmRSS/ {print $2, $3}' "/proc/$daemon_pid/status")"
fi
echo "warm = the launcher's background JVM, own = STASIS_DAEMON=0; ratios are stasis / checkpointctl mean wall time"
echo "(hyperfine, 20 runs, 3 warm-ups); $(date -u +%F) on $(nproc) cores, $(uname -m)"
