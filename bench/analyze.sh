#!/usr/bin/env bash
# Times `stasis analyze` (JSON report to a file) on the bundled checkpoints for two builds of
# stasis side by side (e.g. before and after a change to the analysis module) and prints the
# wall-time ratio B/A and each build's peak RSS. Also checks that both builds write the same
# report (the generated_at timestamp aside). Then, for build B, prints analyze against one
# literal memory search over the same pages (`memory search --text`, the reference of issue 18:
# analyze within 2x), wall and CPU (user + system) seconds, means of the same runs. The
# benchmark's 1.1 GiB checkpoint ($BENCH_DIR/memfill.tar, bench/memfill-checkpoint.sh) is
# added to the default archives when it is there.
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
  [ -f "${BENCH_DIR:-/tmp/stasis-bench-memory}/memfill.tar" ] && archives+=("${BENCH_DIR:-/tmp/stasis-bench-memory}/memfill.tar")
fi

peak_rss_kib() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-24s %9s %9s %7s %10s %10s  %s\n' archive a_ms b_ms b/a a_rss_kib b_rss_kib report
vs_search=()
for a in "${archives[@]}"; do
  name=$(basename "$a")
  hyperfine -N --warmup 1 --runs 5 --export-json "$out/h.json" \
    "$java -jar $jar_a analyze $a -q -o $out/a.json" \
    "$java -jar $jar_b analyze $a -q -o $out/b.json" \
    "$java -jar $jar_b memory search $a --text STASIS-MARKER-BOUNDARY-424242" >/dev/null
  read -r ms_a ms_b ms_s cpu_b cpu_s < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(*(round(x["mean"]*1000) for x in r), *("%.2f" % (x["user"] + x["system"]) for x in r[1:]))' "$out/h.json")
  vs_search+=("$(printf '%-24s %9s %9s %7s %9s %9s %7s' "$name" "$ms_b" "$ms_s" "$(python3 -c "print(f'{$ms_b/$ms_s:.2f}')")" "$cpu_b" "$cpu_s" "$(python3 -c "print(f'{$cpu_b/$cpu_s:.2f}')")")")
  rss_a=$(peak_rss_kib $java -jar "$jar_a" analyze "$a" -q -o "$out/a.json")
  rss_b=$(peak_rss_kib $java -jar "$jar_b" analyze "$a" -q -o "$out/b.json")
  same=$(cmp -s <(grep -v '"generated_at"' "$out/a.json") <(grep -v '"generated_at"' "$out/b.json") && echo same || echo DIFFERENT)
  printf '%-24s %9s %9s %7s %10s %10s  %s\n' "$name" "$ms_a" "$ms_b" "$(python3 -c "print(f'{$ms_b/$ms_a:.2f}')")" "$rss_a" "$rss_b" "$same"
done
echo
echo "build B: analyze against one literal memory search of the same pages (issue 18 target: ratio <= 2)"
printf '%-24s %9s %9s %7s %9s %9s %7s\n' archive analyze_ms search_ms wall_x analyze_cpu search_cpu cpu_x
printf '%s\n' "${vs_search[@]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
