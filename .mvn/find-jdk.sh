# Sourced by ./mvnw and ./stasis: exports JAVA_HOME pointing at a JDK >= 21.
# Order: an existing JAVA_HOME if it is new enough, then the newest JDK under
# /usr/lib/jvm (Temurin 25 on the project's machines). The system `java` is
# often 17, which cannot build a Java 21 project, so it is the last resort.
stasis_java_major() {
  # prints the feature version of the java binary $1 (e.g. 17, 21, 25)
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
stasis_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(stasis_java_major "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  best=""; bestv=0
  # mvnw runs with `set -f` (no globbing), so list the directory instead of a glob
  for n in $(ls /usr/lib/jvm 2>/dev/null); do
    d=/usr/lib/jvm/$n
    [ -x "$d/bin/javac" ] || continue
    v=$(stasis_java_major "$d/bin/java")
    if [ -n "$v" ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  if [ "$bestv" -ge 21 ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  if command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(stasis_java_major "$d/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then JAVA_HOME=$d; export JAVA_HOME; return 0; fi
  fi
  echo "stasis: no JDK >= 21 found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
  return 1
}
stasis_find_jdk || exit 1
