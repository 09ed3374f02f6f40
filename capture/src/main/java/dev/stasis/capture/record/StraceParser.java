package dev.stasis.capture.record;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses strace's output, one line at a time as it streams, for the options the
 * recorder passes ({@code -f -ttt -yy -xx}): every line starts with the thread id
 * and the time in seconds with microseconds. A call another thread interrupted is
 * printed as {@code name(args <unfinished ...>} and later {@code <... name
 * resumed>rest}: the parser keeps the first half per thread and returns the joined
 * call when the second arrives. Lines it does not understand (strace's own notes)
 * give null.
 */
final class StraceParser {
    private record Pending(long ts, String name, String head) {}

    private final Map<Long, Pending> pending = new HashMap<>();

    /** The record this line completes, or null (first half of a call, or not a record). */
    StraceRecord parse(String line) {
        int p = 0;
        int n = line.length();
        int tidEnd = digits(line, p);
        if (tidEnd == p || tidEnd >= n || line.charAt(tidEnd) != ' ') {
            return null;
        }
        long tid = Long.parseLong(line, p, tidEnd, 10);
        p = skipSpaces(line, tidEnd);
        int secEnd = digits(line, p);
        if (secEnd == p || secEnd >= n || line.charAt(secEnd) != '.') {
            return null;
        }
        int usEnd = digits(line, secEnd + 1);
        if (usEnd == secEnd + 1) {
            return null;
        }
        long ts = Long.parseLong(line, p, secEnd, 10) * 1_000_000_000L + fraction(line, secEnd + 1, usEnd);
        String rest = line.substring(skipSpaces(line, usEnd));
        if (rest.startsWith("--- ")) {
            return signal(tid, ts, rest);
        }
        if (rest.startsWith("+++ ")) {
            return exit(tid, ts, rest);
        }
        if (rest.startsWith("<... ")) {
            int end = rest.indexOf(" resumed>");
            Pending first = pending.remove(tid);
            if (end < 0 || first == null) {
                return null;
            }
            return call(tid, first.ts, ts, first.head + rest.substring(end + " resumed>".length()));
        }
        if (rest.endsWith("<unfinished ...>")) {
            String head = rest.substring(0, rest.length() - "<unfinished ...>".length()).stripTrailing();
            int paren = head.indexOf('(');
            if (paren > 0) {
                pending.put(tid, new Pending(ts, head.substring(0, paren), head));
            }
            return null;
        }
        return call(tid, ts, ts, rest);
    }

    /** Threads with a call still waiting for its second half. */
    int pendingCalls() {
        return pending.size();
    }

    /** Name of the call thread {@code tid} is in the middle of, or null. */
    String pendingCall(long tid) {
        Pending p = pending.get(tid);
        return p == null ? null : p.name;
    }

    /** Threads whose pending call is one of {@code names}. */
    List<Long> pendingThreads(java.util.Set<String> names) {
        List<Long> out = new ArrayList<>();
        pending.forEach((tid, p) -> {
            if (names.contains(p.name)) {
                out.add(tid);
            }
        });
        return out;
    }

    private static StraceRecord call(long tid, long ts, long exitTs, String text) {
        int open = text.indexOf('(');
        if (open <= 0) {
            return null;
        }
        String name = text.substring(0, open);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return null;
            }
        }
        int close = StraceArgs.matchingParen(text, open);
        if (close < 0) {
            return null;
        }
        List<String> args = StraceArgs.split(text.substring(open + 1, close));
        String after = text.substring(close + 1).strip();
        String ret = after.startsWith("=") ? after.substring(1).strip() : "?";
        return new StraceRecord.Syscall(tid, ts, exitTs, name, args, ret);
    }

    private static StraceRecord signal(long tid, long ts, String rest) {
        // --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=17338, ...} ---
        String body = rest.substring(4);
        int sp = body.indexOf(' ');
        String sig = sp < 0 ? body : body.substring(0, sp);
        if (!sig.startsWith("SIG")) {
            return null;
        }
        long sender = 0;
        int at = body.indexOf("si_pid=");
        if (at >= 0) {
            int e = digits(body, at + 7);
            if (e > at + 7) {
                sender = Long.parseLong(body, at + 7, e, 10);
            }
        }
        return new StraceRecord.Signal(tid, ts, sig, sender);
    }

    private static StraceRecord exit(long tid, long ts, String rest) {
        if (rest.startsWith("+++ exited with ")) {
            int s = "+++ exited with ".length();
            int e = digits(rest, s);
            return e == s ? null : new StraceRecord.Exit(tid, ts, Integer.parseInt(rest, s, e, 10), null, false);
        }
        if (rest.startsWith("+++ killed by ")) {
            String t = rest.substring("+++ killed by ".length());
            int sp = t.indexOf(' ');
            String sig = sp < 0 ? t : t.substring(0, sp);
            return new StraceRecord.Exit(tid, ts, 0, sig, t.contains("(core dumped)"));
        }
        return null; // "+++ superseded by execve in pid N +++": the thread lives on as N
    }

    private static int digits(String s, int p) {
        while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        return p;
    }

    private static int skipSpaces(String s, int p) {
        while (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
        return p;
    }

    /** Digits after the point as nanoseconds (strace prints 6). */
    private static long fraction(String s, int from, int to) {
        long v = 0;
        int d = 0;
        for (int i = from; i < to && d < 9; i++, d++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        for (; d < 9; d++) {
            v *= 10;
        }
        return v;
    }
}
