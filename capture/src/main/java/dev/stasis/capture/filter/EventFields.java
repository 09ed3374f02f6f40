package dev.stasis.capture.filter;

import static dev.stasis.capture.filter.FieldDef.ArgPolicy.NONE;
import static dev.stasis.capture.filter.FieldDef.ArgPolicy.REQUIRED;
import static dev.stasis.capture.filter.FieldType.ABSTIME;
import static dev.stasis.capture.filter.FieldType.BOOL;
import static dev.stasis.capture.filter.FieldType.DYNAMIC;
import static dev.stasis.capture.filter.FieldType.INT;
import static dev.stasis.capture.filter.FieldType.RELTIME;
import static dev.stasis.capture.filter.FieldType.STRING;
import static dev.stasis.capture.filter.FieldType.UINT;

import dev.stasis.capture.filter.EventView.FdView;
import java.time.ZoneId;

/**
 * The {@code evt.*} fields: the event itself (number, time, type, direction, arguments,
 * result, I/O flags, latency), as libsinsp's sinsp_filter_check_event reads them.
 */
final class EventFields {
    private EventFields() {}

    static void register(FieldRegistry r) {
        r.add("evt.num", UINT, NONE, "event number", (e, a) -> e.num());
        r.add("evt.time", STRING, NONE, "event time, local wall clock with nanoseconds",
                (e, a) -> FieldValues.clock(e.ts(), ZoneId.systemDefault()));
        r.add("evt.outputtime", STRING, NONE, "event time as sysdig -r prints it",
                (e, a) -> FieldValues.clock(e.ts(), ZoneId.systemDefault()));
        r.add("evt.time.s", STRING, NONE, "event time without nanoseconds",
                (e, a) -> FieldValues.clock(e.ts(), ZoneId.systemDefault()).substring(0, 8));
        r.add("evt.datetime", STRING, NONE, "event date and time",
                (e, a) -> java.time.LocalDate.ofInstant(java.time.Instant.ofEpochSecond(e.ts() / 1_000_000_000L),
                        ZoneId.systemDefault()) + " " + FieldValues.clock(e.ts(), ZoneId.systemDefault()));
        r.add("evt.datetime.s", STRING, NONE, "event date and time without nanoseconds",
                (e, a) -> java.time.LocalDate.ofInstant(java.time.Instant.ofEpochSecond(e.ts() / 1_000_000_000L),
                        ZoneId.systemDefault()) + " " + FieldValues.clock(e.ts(), ZoneId.systemDefault()).substring(0, 8));
        // libsinsp's ts_to_iso_8601: UTC, nanoseconds, strftime's %z offset ("+0000")
        r.add("evt.time.iso8601", STRING, NONE, "event time in ISO 8601, UTC, with nanoseconds: "
                + "2019-10-22T15:20:19.123456789+0000", (e, a) -> iso8601(e.ts()));
        r.add("evt.rawtime", ABSTIME, NONE, "event timestamp, ns since the epoch", (e, a) -> e.ts());
        r.add("evt.rawtime.s", ABSTIME, NONE, "seconds part of the timestamp", (e, a) -> e.ts() / 1_000_000_000L);
        r.add("evt.rawtime.ns", ABSTIME, NONE, "nanoseconds part of the timestamp", (e, a) -> e.ts() % 1_000_000_000L);
        // origin: the first event read, as sysdig's m_firstevent_ts (hidden events included)
        r.add("evt.reltime", FieldType.PADDED_TIME, NONE, "ns since the capture's first event", (e, a) -> relTime(e, 0));
        r.add("evt.reltime.s", RELTIME, NONE, "seconds part of evt.reltime", (e, a) -> relTime(e, 1));
        r.add("evt.reltime.ns", FieldType.PADDED_TIME, NONE, "nanoseconds part of evt.reltime", (e, a) -> relTime(e, 2));
        r.add("evt.cpu", INT, NONE, "CPU the event happened on", (e, a) -> (long) e.cpu());
        r.add("evt.type", STRING, NONE, "event type (syscall name)", (e, a) -> e.type());
        r.add("evt.abspath", STRING, NONE, "absolute path from dirfd and name of *at calls (renameat: the source)",
                (e, a) -> absPath(e, 0));
        r.add("evt.abspath.src", STRING, NONE, "absolute source path of renameat and linkat", (e, a) -> absPath(e, 1));
        r.add("evt.abspath.dst", STRING, NONE, "absolute destination path of renameat and linkat", (e, a) -> absPath(e, 2));
        r.add("evt.type.is", UINT, REQUIRED, "1 for events of the type named (evt.type.is.open), else 0", EventFields::typeIs);
        r.add("syscall.type", STRING, NONE, "the syscall's name; none for scheduler switches and internal events",
                (e, a) -> {
                    // sysdig 0.29.3 tests the event's flags against EC_INTERNAL (1<<8), which is the bit
                    // of EF_SKIPPARSERESET; the current sched_switch (PPME_SCHEDSWITCH_6_E, 152) has neither
                    if (e.rawTypeId() == 152 || e.hasFlag("EF_SKIPPARSERESET")) return null;
                    return e.type();
                });
        r.add("evt.is_syslog", BOOL, NONE, "a write to an fd whose name contains /dev/log", (e, a) -> {
            FdView f = e.fd();
            return e.hasFlag("EF_WRITES_TO_FD") && f != null && f.name() != null && f.name().contains("/dev/log");
        });
        r.add("evt.dir", STRING, NONE, "'>' for enter events, '<' for exit events", (e, a) -> e.isEnter() ? ">" : "<");
        r.add("evt.is_enter", BOOL, NONE, "true for enter events", (e, a) -> e.isEnter());
        r.add("evt.is_exit", BOOL, NONE, "true for exit events", (e, a) -> !e.isEnter());
        r.add("evt.args", STRING, NONE, "all arguments as sysdig prints them", (e, a) -> e.args());
        r.add("evt.info", STRING, NONE, "same as evt.args", (e, a) -> e.args());
        r.add("evt.arg", STRING, REQUIRED, "one argument by name or index, resolved text",
                (e, a) -> {
                    int i = paramIndex(e, a);
                    return i < 0 ? null : e.paramArg(i);
                });
        r.add("evt.rawarg", DYNAMIC, REQUIRED, "one argument by name, raw value",
                (e, a) -> {
                    int i = paramIndex(e, a);
                    return i < 0 ? null : e.paramRaw(i);
                });
        r.add("evt.res", STRING, NONE, "SUCCESS, or the errno name when the call failed",
                (e, a) -> {
                    Long res = result(e);
                    if (res == null) return null;
                    if (res >= 0) return "SUCCESS";
                    String text = e.paramArg(0);
                    int paren = text.indexOf('(');
                    return paren >= 0 && text.endsWith(")") ? text.substring(paren + 1, text.length() - 1) : text;
                });
        r.add("evt.buffer", FieldType.BYTES, NONE, "the data buffer of an I/O event", (e, a) -> {
            int i = e.paramIndex("data");
            return i >= 0 && e.paramRaw(i) instanceof byte[] b ? b : null;
        });
        r.add("evt.rawres", INT, NONE, "the call's return value", (e, a) -> result(e));
        r.add("evt.failed", BOOL, NONE, "true if the call returned an error",
                (e, a) -> {
                    Long res = result(e);
                    return res != null && res < 0;
                });
        r.add("evt.is_io", BOOL, NONE, "reads from or writes to an fd",
                (e, a) -> e.hasFlag("EF_READS_FROM_FD") || e.hasFlag("EF_WRITES_TO_FD"));
        r.add("evt.is_io_read", BOOL, NONE, "reads from an fd", (e, a) -> e.hasFlag("EF_READS_FROM_FD"));
        r.add("evt.is_io_write", BOOL, NONE, "writes to an fd", (e, a) -> e.hasFlag("EF_WRITES_TO_FD"));
        r.add("evt.io_dir", STRING, NONE, "read or write for I/O events",
                (e, a) -> e.hasFlag("EF_WRITES_TO_FD") ? "write" : e.hasFlag("EF_READS_FROM_FD") ? "read" : null);
        r.add("evt.is_wait", BOOL, NONE, "the call waits", (e, a) -> e.hasFlag("EF_WAITS"));
        r.add("evt.category", STRING, NONE, "event category; I/O events by their fd: file, net, ipc",
                (e, a) -> category(e));
        r.add("evt.buflen", UINT, NONE, "bytes an I/O call transferred (exit events)", (e, a) -> {
            // libsinsp: the non-negative return value of an exit event with a known fd whose category
            // has EC_IO_BASE's bit: reads, writes and the other fd calls (close, dup, fcntl...) alike.
            if (e.isEnter() || e.fd() == null || !(isIo(e) || e.hasFlag("EC_IO_OTHER")) || e.paramCount() == 0) return null;
            Object v = e.paramRaw(0);
            return v instanceof Long l && l >= 0 ? l : null;
        });
        r.add("evt.is_open_read", BOOL, NONE, "an open for reading", (e, a) -> openFlag(e, 1));
        r.add("evt.is_open_write", BOOL, NONE, "an open for writing", (e, a) -> openFlag(e, 2));
        r.add("evt.is_open_create", BOOL, NONE, "an open with O_CREAT", (e, a) -> openFlag(e, 4));
        r.add("evt.is_open_exec", BOOL, NONE, "an open (O_CREAT or O_TMPFILE) or creat that creates a file "
                + "with an execute bit in its mode", (e, a) -> openExec(e));
        r.add("evt.hostname", STRING, NONE, "host name of the capture", (e, a) -> e.hostname());
        r.add("evt.source", STRING, NONE, "event source", (e, a) -> "syscall");
        r.add("evt.count", UINT, NONE, "1 for every event", (e, a) -> 1L);
        r.add("evt.latency", RELTIME, NONE, "exit events: nanoseconds since the thread's enter event; 0 for enter events",
                (e, a) -> e.latency());
        r.add("evt.latency.s", RELTIME, NONE, "seconds part of evt.latency", (e, a) -> {
            Long l = e.latency();
            return l == null ? null : l / 1_000_000_000L;
        });
        r.add("evt.latency.ns", FieldType.PADDED_TIME, NONE, "nanoseconds part of evt.latency", (e, a) -> {
            Long l = e.latency();
            return l == null ? null : l % 1_000_000_000L;
        });
        r.add("evt.latency.human", STRING, NONE, "evt.latency as sysdig prints it: 261ns, 1.06us, 129ms, 1.09s",
                (e, a) -> {
                    Long l = e.latency();
                    return l == null ? null : humanDuration(l);
                });
    }

    /**
     * sysdig 0.29.3's evt.type.is (libs e5c53d64 extract_type): the first event type of the table
     * with that name and the type after it, so {@code evt.type.is.openat} is the old openat pair
     * (102, 103), not today's; a number names one type; a generic event is its own type (0, 1).
     */
    private static Long typeIs(EventView e, String arg) {
        int id = e.rawTypeId();
        if (!arg.isEmpty() && arg.chars().allMatch(Character::isDigit)) {
            try {
                return id >= 0 && id == Integer.parseInt(arg) ? 1L : 0L;
            } catch (NumberFormatException tooLarge) {
                return 0L;
            }
        }
        if (id < 0) return e.type().equals(arg) ? 1L : 0L;
        var types = dev.stasis.capture.scap.EventTable.get().byName(arg);
        if (types.isEmpty()) return 0L;
        int first = types.get(0).type();
        return id == first || id == first + 1 ? 1L : 0L;
    }

    /**
     * sysdig 0.29.3's evt.abspath (libs e5c53d64 extract_abspath): the event types it knows by number,
     * the dirfd and path parameters by name; an absolute path is the path, AT_FDCWD (-100) the cwd, other
     * dirfds the fd's name, "<UNKNOWN>" when the table has no such fd; joined as sysdig joins paths.
     */
    private static String absPath(EventView e, int which) {
        EventView.ThreadView t = e.thread();
        if (t == null) return null;
        String dirArg;
        String pathArg;
        switch (e.rawTypeId()) {
            case 177, 319 -> { // renameat, renameat2 exits
                dirArg = which == 2 ? "newdirfd" : "olddirfd";
                pathArg = which == 2 ? "newpath" : "oldpath";
            }
            case 181 -> { // symlinkat exit
                dirArg = "linkdirfd";
                pathArg = "linkpath";
            }
            case 102, 307, 327 -> { // old openat enter, openat and openat2 exits
                dirArg = "dirfd";
                pathArg = "name";
            }
            case 106, 311 -> { // old linkat enter, linkat exit
                dirArg = which == 2 ? "newdir" : "olddir";
                pathArg = which == 2 ? "newpath" : "oldpath";
            }
            case 110, 303 -> { // old unlinkat enter, unlinkat exit
                dirArg = "dirfd";
                pathArg = "name";
            }
            case 305 -> { // mkdirat exit
                dirArg = "dirfd";
                pathArg = "path";
            }
            case 313 -> { // fchmodat exit
                dirArg = "dirfd";
                pathArg = "filename";
            }
            default -> {
                return null;
            }
        }
        int d = e.paramIndex(dirArg);
        int p = e.paramIndex(pathArg);
        if (d < 0 || p < 0 || !(e.paramRaw(d) instanceof Long dirfd)) return null;
        Object raw = e.paramRaw(p);
        String path = raw instanceof String s ? s
                : raw instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : "";
        String dir;
        if (path.startsWith("/")) dir = ".";
        else if (dirfd == -100) dir = t.cwd();
        else {
            String name = t.fdName(dirfd);
            dir = name == null ? "<UNKNOWN>/" : name + "/";
        }
        return dev.stasis.capture.state.Paths.concatenate(dir, path);
    }

    private static Long relTime(EventView e, int part) {
        long first = e.firstEventTs();
        if (first == 0) return null;
        long rel = e.ts() - first;
        return part == 0 ? rel : part == 1 ? rel / 1_000_000_000L : rel % 1_000_000_000L;
    }

    private static String iso8601(long ts) {
        long sec = Math.floorDiv(ts, 1_000_000_000L);
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(sec, 0, java.time.ZoneOffset.UTC);
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d.%09d+0000", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), Math.floorMod(ts, 1_000_000_000L));
    }

    /** libsinsp's tostring_nice for relative times: truncated, two decimals below 10 units. */
    static String humanDuration(long ns) {
        if (ns < 1000) return ns + "ns";
        long unit;
        String name;
        if (ns < 1_000_000L) {
            unit = 1000L;
            name = "us";
        } else if (ns < 1_000_000_000L) {
            unit = 1_000_000L;
            name = "ms";
        } else {
            unit = 1_000_000_000L;
            name = "s";
        }
        long whole = ns / unit;
        if (whole >= 10) return whole + name;
        return whole + "." + String.format("%02d", (ns % unit) / (unit / 100)) + name;
    }

    /** An argument named, or indexed by a number as in {@code evt.arg[0]}. */
    private static int paramIndex(EventView e, String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(arg);
            return i < e.paramCount() ? i : -1;
        }
        return e.paramIndex(arg);
    }

    private static Long result(EventView e) {
        return e.returnValue();
    }

    private static boolean isIo(EventView e) {
        return e.hasFlag("EC_IO_READ") || e.hasFlag("EC_IO_WRITE");
    }

    private static String category(EventView e) {
        if (e.hasFlag("EC_IO_READ") || e.hasFlag("EC_IO_WRITE") || e.hasFlag("EC_IO_OTHER")) {
            FdView f = e.fd();
            if (f == null) return "unknown";
            return switch (f.typeChar()) {
                case 'f', 'd' -> "file";
                case '4', '6' -> "net";
                case 'p', 'u', 'e', 's', 'i' -> "ipc";
                default -> "unknown";
            };
        }
        String[][] names = {{"EC_UNKNOWN", "unknown"}, {"EC_OTHER", "other"}, {"EC_FILE", "file"}, {"EC_NET", "net"},
            {"EC_IPC", "IPC"}, {"EC_MEMORY", "memory"}, {"EC_PROCESS", "process"}, {"EC_SLEEP", "sleep"},
            {"EC_SYSTEM", "system"}, {"EC_SIGNAL", "signal"}, {"EC_USER", "user"}, {"EC_TIME", "time"},
            {"EC_PROCESSING", "processing"}, {"EC_WAIT", "wait"}, {"EC_SCHEDULER", "scheduler"},
            {"EC_INTERNAL", "internal"}};
        for (String[] n : names) if (e.hasFlag(n[0])) return n[1];
        return null;
    }

    /** PPM open flags: O_RDONLY 1, O_WRONLY 2, O_CREAT 4 (O_RDWR is 3). */
    private static Boolean openFlag(EventView e, long bit) {
        if (e.isEnter() || !(e.type().equals("open") || e.type().equals("openat") || e.type().equals("openat2")
                || e.type().equals("open_by_handle_at"))) return false;
        int i = e.paramIndex("flags");
        if (i < 0) return false;
        return e.paramRaw(i) instanceof Long f && (f & bit) != 0;
    }

    /**
     * sysdig 0.29.3's TYPE_ISOPEN_EXEC (libs e5c53d64 filterchecks.cpp): on an open exit, the old openat's
     * enter, an openat (version 2) or openat2 exit with PPM_O_CREAT (1<<2) or PPM_O_TMPFILE (1<<13) in the
     * flags, or a creat exit: the mode has an execute bit (0111). Newer libsinsp drops the old openat enter
     * and adds open_by_handle_at, which has no mode.
     */
    private static Boolean openExec(EventView e) {
        int id = e.typeId();
        boolean open;
        if (id >= 0) {
            // 3 open<, 102 old openat>, 307 openat<, 327 openat2<; 59 creat<.
            open = id == 3 || id == 102 || id == 307 || id == 327;
            if (!open && id != 59) return false;
        } else {
            String type = e.type();
            open = !e.isEnter() && (type.equals("open") || type.equals("openat") || type.equals("openat2"));
            if (!open && !(type.equals("creat") && !e.isEnter())) return false;
        }
        if (open) {
            int f = e.paramIndex("flags");
            if (f < 0 || !(e.paramRaw(f) instanceof Long flags) || (flags & ((1L << 2) | (1L << 13))) == 0) return false;
        }
        int m = e.paramIndex("mode");
        return m >= 0 && e.paramRaw(m) instanceof Long mode && (mode & 0111) != 0;
    }
}
