#!/usr/bin/env bash
# Times `stasis analyze` (JSON report to a file) on the bundled checkpoints for two builds of
# stasis side by side (e.g. before and after a change to the analysis module) and prints the
# wall-time ratio B/A and each build's peak RSS. Also checks that both builds write the same
# report (the generated_at timestamp aside).
#
#   bench/analyze.sh JAR_A JAR_B [ARCHIVE...]
#
# A jar is a built cli/target/stasis.jar (its lib/ next to it), e.g. one built from a
# `git archive` of an older commit in a scratch directory. Needs hyperfine and GNU time.
set -euo pipefail

jar_a=${1:?usage: bench/analyze.sh JAR_A JAR_B [ARCHIVE...]}
jar_b=${2:?usage: bench/analyze.sh JAR_A JAR_B [ARCHIVE...]}
shift 2
for j in "$jar_a" "$jar_b"; do [ -f "$j" ] || { echo "bench: no such jar: $j" >&2; exit 1; }; done
command -v hyperfine >/dev/null || { echo "bench: hyperfine is not installed" >&2; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
java="$JAVA_HOME/bin/java -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED"
if [ $# -gt 0 ]; then archives=("$@"); else
  archives=("$root"/testdata/checkpoints/benign-web.tar.zst "$root"/testdata/checkpoints/irc-bot.pre.tar.zst
            "$root"/testdata/checkpoints/irc-bot.tar.zst "$root"/testdata/checkpoints/irc-bot.tar
            "$root"/testdata/checkpoints/fileless-miner.tar.gz)
fi

peak_rss_kib() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-24s %9s %9s %7s %10s %10s  %s\n' archive a_ms b_ms b/a a_rss_kib b_rss_kib report
for a in "${archives[@]}"; do
  name=$(basename "$a")
  hyperfine -N --warmup 1 --runs 5 --export-json "$out/h.json" \
    "$java -jar $jar_a analyze $a -q -o $out/a.json" \
    "$java -jar $jar_b analyze $a -q -o $out/b.json" >/dev/null
  read -r ms_a ms_b < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(*(round(x["mean"]*1000) for x in r))' "$out/h.json")
  rss_a=$(peak_rss_kib $java -jar "$jar_a" analyze "$a" -q -o "$out/a.json")
  rss_b=$(peak_rss_kib $java -jar "$jar_b" analyze "$a" -q -o "$out/b.json")
  same=$(cmp -s <(grep -v '"generated_at"' "$out/a.json") <(grep -v '"generated_at"' "$out/b.json") && echo same || echo DIFFERENT)
  printf '%-24s %9s %9s %7s %10s %10s  %s\n' "$name" "$ms_a" "$ms_b" "$(python3 -c "print(f'{$ms_b/$ms_a:.2f}')")" "$rss_a" "$rss_b" "$same"
done
