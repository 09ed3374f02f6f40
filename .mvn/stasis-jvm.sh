# Sourced by ./stasis and by the benchmarks that time it: the JVM flags stasis runs
# with, kept in one place so that a benchmark measures what a user runs.

# Multi-release jars are read as their base version: zstd-jni's Java 22 variant binds
# its native library through the FFM API, whose set-up costs about 0.2 s of CPU in
# every command that opens a zstd archive; its JNI binding (the base version) does
# the same job at once. The AOT cache is recorded with the same flags.
STASIS_JVM_BASE="-XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -Djdk.util.jar.enableMultiRelease=false"

# Added when the AOT cache is recorded. The cache keeps classes only, not the training
# run's method profiles (JDK 25 records those by default): replayed, the profiles of a
# run over the small bundled examples made the optimising compiler treat the hot loops
# of real inputs badly (memory search on 1.1 GiB: 2.7 GB/s with them, 4.4 GB/s
# without). Unknown to a later JDK, the flag is ignored.
STASIS_AOT_RECORD="-XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining"

# Sets STASIS_JVM_COMMAND to the flags for the command named by $1 (the first argument).
stasis_command_flags() {
  case "${1-}" in
    # Short commands (read an archive, print, exit) finish before the optimising
    # compiler would pay for itself: C1 alone starts them about a third faster.
    # Long-running ones (analysis, searches, capture replay, the servers) keep C2.
    ""|-*|inspect|show|list|extract|crit|coredump|policy|case) STASIS_JVM_COMMAND="-XX:TieredStopAtLevel=1" ;;
    # A capture replay is one hot loop over millions of events: compiling later spends less of
    # the second core on the JIT, and a small young generation keeps the reused buffers in cache
    # (measured with bench/capture.sh: 4.44 -> 3.73 CPU s for 10M events, peak RSS 200 -> 111 MB).
    capture) STASIS_JVM_COMMAND="-XX:CompileThresholdScaling=4 -Xmn16m" ;;
    *) STASIS_JVM_COMMAND="" ;;
  esac
}
