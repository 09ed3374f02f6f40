package dev.stasis.capture.record;

import java.util.List;

/**
 * One complete thing strace reported about a thread: a finished system call (an
 * {@code <unfinished ...>} line already joined with its {@code <... resumed>}
 * line), a delivered signal, or the end of the thread. Times are nanoseconds since
 * the epoch, at strace's microsecond resolution ({@code -ttt}).
 */
sealed interface StraceRecord permits StraceRecord.Syscall, StraceRecord.Signal, StraceRecord.Exit {
    long tid();

    long ts();

    /**
     * {@code name(args) = ret}: {@code args} split at the top level, as printed
     * (strings still escaped); {@code ret} the text after "= " ("3<...>", "-1 ENOENT
     * (No such file or directory)", "?"). {@code exitTs} is the resume time for
     * calls strace printed in two pieces, else {@code ts}.
     */
    record Syscall(long tid, long ts, long exitTs, String name, List<String> args, String ret) implements StraceRecord {
        String arg(int i) {
            return i < args.size() ? args.get(i) : "";
        }
    }

    /** {@code --- SIGCHLD {si_signo=SIGCHLD, ..., si_pid=42, ...} ---}; {@code senderPid} 0 if not given. */
    record Signal(long tid, long ts, String signal, long senderPid) implements StraceRecord {}

    /**
     * {@code +++ exited with N +++} ({@code signal} null) or {@code +++ killed by SIGKILL (core dumped) +++}.
     */
    record Exit(long tid, long ts, int code, String signal, boolean core) implements StraceRecord {}
}
