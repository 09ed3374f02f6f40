#!/usr/bin/env bash
# Store and verify throughput of the evidence vault against sha256sum of the
# same file (the floor: both must read and hash every byte).
#
#   bench/evidence.sh [SIZE_GIB] [DIR]      (default 2 GiB in a fresh temp dir)
#
# Prints MiB/s for sha256sum, `stasis evidence add` (read + hash + write + fsync
# + sign) and `stasis evidence verify` (read + hash), and each one's ratio to
# sha256sum. Times include the JVM's start (about a second), which is why a
# multi-GiB file is used.
set -euo pipefail
cd "$(dirname "$0")/.."
size_gib=${1:-2}
work=${2:-$(mktemp -d /tmp/stasis-bench-evidence.XXXXXX)}
mkdir -p "$work"
file="$work/archive.bin"
export STASIS_VAULT="$work/vault"

./stasis --version >/dev/null        # build once, outside the timings
export STASIS_NO_BUILD=1

if [ ! -f "$file" ]; then
  echo "bench: writing ${size_gib} GiB of random bytes to $file" >&2
  head -c "$((size_gib * 1024 * 1024 * 1024))" /dev/urandom > "$file"
fi
bytes=$(stat -c %s "$file")
mib=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}')

now() { date +%s.%N; }
rate() { awk -v b="$bytes" -v s="$1" 'BEGIN{printf "%.0f", b/1048576/s}'; }

cat "$file" > /dev/null             # same page-cache state for everyone
t0=$(now); sha256sum "$file" > "$work/sum"; t1=$(now)
floor=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')

rm -rf "$STASIS_VAULT"
t0=$(now); ./stasis evidence add --quiet --format json "$file" > "$work/add.json"; t1=$(now)
store=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
id=$(grep -m1 '"id"' "$work/add.json" | sed 's/.*"\([0-9a-f]\{64\}\)".*/\1/')
[ "$id" = "$(cut -c1-64 "$work/sum")" ] || { echo "bench: stored id $id differs from sha256sum $(cut -c1-64 "$work/sum")" >&2; exit 1; }

t0=$(now); ./stasis evidence verify "$id" > /dev/null; t1=$(now)
verify=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')

printf '%-28s %10s %10s %12s\n' "tool ($mib MiB)" "seconds" "MiB/s" "vs sha256sum"
printf '%-28s %10.2f %10s %12s\n' "sha256sum" "$floor" "$(rate "$floor")" "1.00"
printf '%-28s %10.2f %10s %12.2f\n' "stasis evidence add" "$store" "$(rate "$store")" "$(awk -v a="$store" -v b="$floor" 'BEGIN{print a/b}')"
printf '%-28s %10.2f %10s %12.2f\n' "stasis evidence verify" "$verify" "$(rate "$verify")" "$(awk -v a="$verify" -v b="$floor" 'BEGIN{print a/b}')"
echo "(ratio = stasis time / sha256sum time; 1.00 is the floor)"
[ -n "${2:-}" ] || rm -rf "$work"
