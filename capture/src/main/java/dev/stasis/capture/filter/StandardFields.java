package dev.stasis.capture.filter;

import static dev.stasis.capture.filter.FieldDef.ArgPolicy.NONE;
import static dev.stasis.capture.filter.FieldDef.ArgPolicy.OPTIONAL;
import static dev.stasis.capture.filter.FieldDef.ArgPolicy.REQUIRED;
import static dev.stasis.capture.filter.FieldType.ABSTIME;
import static dev.stasis.capture.filter.FieldType.BOOL;
import static dev.stasis.capture.filter.FieldType.DYNAMIC;
import static dev.stasis.capture.filter.FieldType.INT;
import static dev.stasis.capture.filter.FieldType.IPADDR;
import static dev.stasis.capture.filter.FieldType.IPNET;
import static dev.stasis.capture.filter.FieldType.PORT;
import static dev.stasis.capture.filter.FieldType.RELTIME;
import static dev.stasis.capture.filter.FieldType.STRING;
import static dev.stasis.capture.filter.FieldType.UINT;

import dev.stasis.capture.filter.EventView.ContainerView;
import dev.stasis.capture.filter.EventView.FdView;
import dev.stasis.capture.filter.EventView.ThreadView;
import java.net.InetAddress;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The fields stasis implements, with libsinsp's names and meanings (the
 * filterchecks in userspace/libsinsp). A field that cannot be read on an event
 * yields null, which sysdig prints as {@code <NA>} and which fails every check
 * but {@code not}.
 */
final class StandardFields {
    private StandardFields() {}

    static void register(FieldRegistry r) {
        event(r);
        process(r);
        user(r);
        fd(r);
        container(r);
    }

    // ---------------- evt.* ----------------

    private static void event(FieldRegistry r) {
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
        r.add("evt.rawtime", ABSTIME, NONE, "event timestamp, ns since the epoch", (e, a) -> e.ts());
        r.add("evt.rawtime.s", ABSTIME, NONE, "seconds part of the timestamp", (e, a) -> e.ts() / 1_000_000_000L);
        r.add("evt.rawtime.ns", ABSTIME, NONE, "nanoseconds part of the timestamp", (e, a) -> e.ts() % 1_000_000_000L);
        r.add("evt.cpu", INT, NONE, "CPU the event happened on", (e, a) -> (long) e.cpu());
        r.add("evt.type", STRING, NONE, "event type (syscall name)", (e, a) -> e.type());
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
            // sysdig 0.29: the non-negative return value of an I/O exit event with a known fd.
            if (e.isEnter() || e.fd() == null || !isIo(e) || e.paramCount() == 0) return null;
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
        r.add("evt.latency.human", STRING, NONE, "evt.latency as sysdig prints it: 261ns, 1.06us, 129ms, 1.09s",
                (e, a) -> {
                    Long l = e.latency();
                    return l == null ? null : humanDuration(l);
                });
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

    // ---------------- proc.* and thread.* ----------------

    private static void process(FieldRegistry r) {
        thr(r, "proc.pid", INT, "process id", t -> t.pid());
        thr(r, "proc.vpid", INT, "process id in its pid namespace", t -> t.vpid());
        // sysdig 0.29: the main thread's ptid; proc.pname and friends look up the thread's own ptid.
        thr(r, "proc.ppid", INT, "parent process id", t -> t.mainThread().ptid());
        thr(r, "proc.sid", INT, "session id", t -> t.sid());
        thr(r, "proc.sname", STRING, "session leader's name: the process whose pid is proc.sid, else the eldest "
                + "ancestor with the same session id", ThreadView::sessionLeaderName);
        thr(r, "proc.vpgid", INT, "process group id in its namespace", t -> t.vpgid());
        // Newer libsinsp (TYPE_IS_VPGID_LEADER): proc.vpgid == proc.vpid; sysdig 0.29.3 has no such field.
        thr(r, "proc.is_vpgid_leader", BOOL, "the process leads its process group (proc.vpgid = proc.vpid)",
                t -> t.vpgid() == t.vpid());
        thr(r, "proc.name", STRING, "command name (comm)", ThreadView::comm);
        thr(r, "proc.exe", STRING, "argv[0]", ThreadView::exe);
        thr(r, "proc.exepath", STRING, "full executable path", ThreadView::exepath);
        thr(r, "proc.args", STRING, "arguments joined by spaces", t -> String.join(" ", t.args()));
        thr(r, "proc.cmdline", STRING, "name and arguments", StandardFields::cmdline);
        thr(r, "proc.exeline", STRING, "exe and arguments",
                t -> t.args().isEmpty() ? t.exe() : t.exe() + " " + String.join(" ", t.args()));
        thr(r, "proc.cwd", STRING, "current directory", ThreadView::cwd);
        thr(r, "proc.tty", UINT, "controlling terminal, 0 if none", t -> t.tty());
        // Newer libsinsp (sysdig 0.29.3 has none of these): names of the set bits, "" for none.
        thr(r, "thread.cap_effective", STRING, "effective capabilities, e.g. \"CAP_CHOWN CAP_KILL\"",
                t -> dev.stasis.capture.state.Capabilities.toString(t.capEffective()));
        thr(r, "thread.cap_permitted", STRING, "permitted capabilities",
                t -> dev.stasis.capture.state.Capabilities.toString(t.capPermitted()));
        thr(r, "thread.cap_inheritable", STRING, "inheritable capabilities",
                t -> dev.stasis.capture.state.Capabilities.toString(t.capInheritable()));
        // Threads share the process's environment: sysdig reads the main thread's.
        thr(r, "proc.env", STRING, "environment", t -> String.join(" ", t.mainThread().env()));
        thr(r, "proc.pname", STRING, "parent's name", t -> parentOr(t, ThreadView::comm));
        thr(r, "proc.pcmdline", STRING, "parent's command line", t -> parentOr(t, StandardFields::cmdline));
        thr(r, "proc.pexe", STRING, "parent's argv[0]", t -> parentOr(t, ThreadView::exe));
        thr(r, "proc.pexepath", STRING, "parent's executable path", t -> parentOr(t, ThreadView::exepath));
        r.add("proc.aname", STRING, OPTIONAL, "ancestor's name: [0] self, [1] parent...; without index any ancestor",
                (e, a) -> ancestor(e, a, ThreadView::comm));
        r.add("proc.apid", INT, OPTIONAL, "ancestor's pid", (e, a) -> ancestor(e, a, t -> (Object) t.pid()));
        r.add("proc.aexe", STRING, OPTIONAL, "ancestor's argv[0]", (e, a) -> ancestor(e, a, ThreadView::exe));
        r.add("proc.aexepath", STRING, OPTIONAL, "ancestor's executable path",
                (e, a) -> ancestor(e, a, ThreadView::exepath));
        r.add("proc.duration", RELTIME, NONE, "ns since the process started", (e, a) -> {
            ThreadView t = e.thread();
            return t == null || t.startTs() == 0 ? null : e.ts() - t.startTs();
        });
        r.add("proc.start_ts", ABSTIME, NONE, "process start time", (e, a) -> {
            ThreadView t = e.thread();
            return t == null || t.startTs() == 0 ? null : t.startTs();
        });
        r.add("thread.tid", INT, NONE, "thread id", (e, a) -> e.tid());
        thr(r, "thread.vtid", INT, "thread id in its pid namespace", t -> t.vtid());
        thr(r, "thread.ismain", BOOL, "the main thread of its process", t -> t.tid() == t.pid());
        r.add("proc.is_exe_writable", BOOL, NONE, "the executable is writable by the process's user",
                (e, a) -> {
                    Boolean f = exeFlag(e, 1);
                    return f != null ? f : e.thread() == null ? null : e.thread().exeWritable();
                });
        r.add("proc.is_exe_upper_layer", BOOL, NONE, "the executable lives in an overlayfs upper layer (read from execve's flags)",
                (e, a) -> exeFlag(e, 2));
        r.add("proc.is_exe_from_memfd", BOOL, NONE, "the executable is a memfd (read from execve's flags)",
                (e, a) -> exeFlag(e, 4));
        r.add("proc.is_container_healthcheck", BOOL, NONE, "stasis does not detect health checks: false",
                (e, a) -> e.thread() == null ? null : false);
    }

    /**
     * A PPM_EXE_* bit of the execve exit event's flags parameter. stasis reads
     * it from the execve event itself, which is where Falco's rules test it
     * (spawned_process); on other events the value is unknown.
     */
    private static Boolean exeFlag(EventView e, long bit) {
        if (e.isEnter() || !e.type().equals("execve")) return null;
        int i = e.paramIndex("flags");
        if (i < 0) return null;
        return e.paramRaw(i) instanceof Long f ? (f & bit) != 0 : null;
    }

    private static String cmdline(ThreadView t) {
        if (t.comm() == null) return null;
        return t.args().isEmpty() ? t.comm() : t.comm() + " " + String.join(" ", t.args());
    }

    private static <T> Object parentOr(ThreadView t, Function<ThreadView, T> f) {
        ThreadView p = t.parent();
        return p == null ? null : f.apply(p);
    }

    private static void thr(FieldRegistry r, String name, FieldType type, String desc, Function<ThreadView, Object> f) {
        r.add(name, type, NONE, desc, (e, a) -> {
            ThreadView t = e.thread();
            return t == null ? null : f.apply(t);
        });
    }

    private static Object ancestor(EventView e, String arg, Function<ThreadView, Object> f) {
        ThreadView t = e.thread();
        if (t == null) return null;
        if (arg == null) {
            List<Object> values = new ArrayList<>();
            int guard = 0;
            for (ThreadView p = t.mainThread().parent(); p != null && guard++ < 4096; p = p.parent()) {
                Object v = f.apply(p);
                if (v != null) values.add(v);
            }
            return values.isEmpty() ? null : new AnyOf(values, false);
        }
        int n;
        try {
            n = Integer.parseInt(arg);
        } catch (NumberFormatException ex) {
            throw new FilterException("the argument of an ancestor field must be a number, not '" + arg + "'");
        }
        // sysdig 0.29 walks up from the process's main thread.
        ThreadView p = t.mainThread();
        for (int i = 0; i < n && p != null; i++) p = p.parent();
        return p == null ? null : f.apply(p);
    }

    // ---------------- user.* and group.* ----------------

    private static void user(FieldRegistry r) {
        thr(r, "user.uid", UINT, "user id", t -> t.uid());
        thr(r, "user.name", STRING, "user name", ThreadView::userName);
        thr(r, "user.homedir", STRING, "home directory", ThreadView::userHome);
        thr(r, "user.shell", STRING, "login shell", ThreadView::userShell);
        thr(r, "user.loginuid", INT, "audit login uid (-1 if none)", t -> (long) (int) t.loginUid());
        thr(r, "user.loginname", STRING, "audit login user name", ThreadView::loginUserName);
        thr(r, "group.gid", UINT, "group id", t -> t.gid());
        thr(r, "group.name", STRING, "group name", ThreadView::groupName);
    }

    // ---------------- fd.* ----------------

    private static void fd(FieldRegistry r) {
        r.add("fd.num", INT, NONE, "fd number", (e, a) -> {
            if (!fdEvent(e)) return null;
            FdView f = e.fd();
            return f != null ? (Long) f.num() : e.lastEventFd();
        });
        fdf(r, "fd.type", STRING, "fd type: file, directory, ipv4, ipv6, unix, pipe...", FdView::typeName);
        r.add("fd.typechar", STRING, NONE, "fd type as one character", (e, a) -> {
            if (!fdEvent(e)) return null;
            FdView f = e.fd();
            return String.valueOf(f != null ? f.typeChar() : typeCharFromEvent(e));
        });
        r.add("fd.name", STRING, NONE, "path or connection tuple", (e, a) -> fdName(e));
        r.add("fd.nameraw", STRING, NONE, "fd name as the kernel gave it", (e, a) -> fdName(e));
        r.add("fd.directory", STRING, NONE, "directory of a file, or the directory itself", (e, a) -> {
            if (!fdEvent(e)) return null;
            FdView f = e.fd();
            if (f == null) return e.isEnter() ? null : directoryOf(fdName(e));
            if (f.typeChar() == 'd') return f.name();
            return f.typeChar() == 'f' ? directoryOf(f.name()) : null;
        });
        r.add("fd.filename", STRING, NONE, "file name without directory", (e, a) -> {
            if (!fdEvent(e)) return null;
            FdView f = e.fd();
            if (f == null || f.typeChar() != 'f' || f.name() == null) return null;
            String name = f.name();
            int slash = name.lastIndexOf('/');
            if (slash < 0) return "/";
            return slash < name.length() - 1 ? name.substring(slash + 1) : name;
        });
        fdf(r, "fd.ino", UINT, "inode", f -> f.ino() == 0 ? null : f.ino());
        r.add("fd.name_changed", BOOL, NONE, "the event changed its fd's name (an open, or a socket's tuple set)",
                (e, a) -> fdOf(e) == null ? null : e.fdNameChanged());
        fdf(r, "fd.l4proto", STRING, "tcp, udp, icmp or raw", FdView::l4proto);
        fdf(r, "fd.sockfamily", STRING, "ip or unix", f -> switch (f.typeChar()) {
            case '4', '6' -> "ip";
            case 'u' -> "unix";
            default -> null;
        });
        r.add("fd.is_server", BOOL, NONE, "this process is the server end", (e, a) -> {
            FdView f = fdOf(e);
            if (f == null) return null;
            if (f.serverSocket()) return true;
            if (!isIpSocket(f)) return false;
            // libsinsp reads the destination address whatever the role: 0.0.0.0 (or ::) before it is known
            return e.isLocalAddress(orZero(f.serverIp(), f.typeChar() == '4' ? 4 : 16));
        });
        r.add("fd.cip", IPADDR, NONE, "client IP", (e, a) -> endpoint(e, true, false));
        r.add("fd.sip", IPADDR, NONE, "server IP", (e, a) -> endpoint(e, false, false));
        r.add("fd.cport", PORT, NONE, "client port", (e, a) -> endpoint(e, true, true));
        r.add("fd.sport", PORT, NONE, "server port", (e, a) -> endpoint(e, false, true));
        r.add("fd.lip", IPADDR, NONE, "local IP", (e, a) -> localRemote(e, true, false));
        r.add("fd.rip", IPADDR, NONE, "remote IP", (e, a) -> localRemote(e, false, false));
        r.add("fd.lport", PORT, NONE, "local port", (e, a) -> localRemote(e, true, true));
        r.add("fd.rport", PORT, NONE, "remote port", (e, a) -> localRemote(e, false, true));
        for (String end : List.of("cip", "sip", "lip", "rip")) {
            // libsinsp resolves these through DNS answers it saw live; a replay has none.
            r.add("fd." + end + ".name", STRING, NONE, "host name of fd." + end + ": never known when replaying a capture",
                    (e, a) -> null);
        }
        r.add("fd.connected", BOOL, NONE, "the socket is connected (a connect, accept or data seen, or TCP in the fd list)", (e, a) -> {
            FdView f = fdOf(e);
            if (f == null) return null;
            return f.socketConnected();
        });
        r.addFilterOnly("fd.ip", IPADDR, "client or server IP",
                (e, a) -> both(endpoint(e, true, false), endpoint(e, false, false)));
        r.addFilterOnly("fd.port", PORT, "client or server port",
                (e, a) -> both(endpoint(e, true, true), endpoint(e, false, true)));
        r.addFilterOnly("fd.net", IPNET, "client or server IP, matched against a network", (e, a) -> netAddresses(e));
        r.addFilterOnly("fd.cnet", IPNET, "client IP, matched against a network", (e, a) -> endpoint(e, true, false));
        r.addFilterOnly("fd.snet", IPNET, "server IP, matched against a network", (e, a) -> endpoint(e, false, false));
        r.addFilterOnly("fd.lnet", IPNET, "local IP, matched against a network", (e, a) -> localRemote(e, true, false));
        r.addFilterOnly("fd.rnet", IPNET, "remote IP, matched against a network", (e, a) -> localRemote(e, false, false));
    }

    /** libsinsp reads fd fields only on events that create, use or destroy an fd, of a known thread. */
    private static boolean fdEvent(EventView e) {
        return e.fdRelated() && e.thread() != null;
    }

    private static FdView fdOf(EventView e) {
        return fdEvent(e) ? e.fd() : null;
    }

    /** With no fd in the table, libsinsp guesses the type from the event that made it. */
    private static char typeCharFromEvent(EventView e) {
        return switch (e.type()) {
            case "open", "openat", "openat2", "creat" -> 'f';
            case "socket", "accept", "accept4" -> '4';
            case "pipe", "pipe2" -> 'p';
            case "eventfd", "eventfd2" -> 'e';
            case "signalfd", "signalfd4" -> 's';
            case "timerfd_create" -> 't';
            case "inotify_init", "inotify_init1" -> 'i';
            default -> 'o';
        };
    }

    /**
     * fd.name: the table's name, else what the exit event says (open's path, connect's tuple), else "".
     * Raw: filters see a name's unprintable characters; OutputFormat strips them as sysdig's output does.
     */
    private static String fdName(EventView e) {
        if (!fdEvent(e)) return null;
        FdView f = e.fd();
        // A failed connect names what the event says (its tuple), not the table's fd (libsinsp).
        boolean failedConnect = !e.isEnter() && e.type().equals("connect") && e.returnValue() != null
                && e.returnValue() < 0;
        if (f != null && !failedConnect) return f.name();
        if (e.isEnter()) return null;
        return switch (e.type()) {
            case "open", "creat", "accept", "accept4", "connect" -> e.paramCount() > 1 ? e.paramArg(1) : "";
            case "openat", "openat2" -> {
                int i = e.paramIndex("name");
                yield i < 0 ? "" : e.paramArg(i);
            }
            default -> "";
        };
    }

    private static boolean isIpSocket(FdView f) {
        return (f.typeChar() == '4' || f.typeChar() == '6') && !f.serverSocket();
    }

    private static boolean roleNone(FdView f) {
        return !f.roleServer() && !f.roleClient();
    }

    /** fd.cip/sip/cport/sport: the connection's ends, unknown until the role is. */
    private static Object endpoint(EventView e, boolean client, boolean port) {
        FdView f = fdOf(e);
        if (f == null) return null;
        // libsinsp: a listening socket's fd.sport needs no role (its fd.sip does)
        if (f.serverSocket() && port && !client) return (long) f.serverPort();
        if (roleNone(f)) return null;
        if (f.serverSocket()) {
            if (client) return null;
            return port ? (Object) (long) f.serverPort() : f.serverIp();
        }
        if (!isIpSocket(f)) return null;
        InetAddress ip = client ? f.clientIp() : f.serverIp();
        if (ip == null) return null;
        return port ? (Object) (long) (client ? f.clientPort() : f.serverPort()) : ip;
    }

    /** fd.lip/rip/lport/rport: local is the client end when the client IP is one of the capture's interfaces. */
    private static Object localRemote(EventView e, boolean local, boolean port) {
        FdView f = fdOf(e);
        if (f == null || !isIpSocket(f) || roleNone(f) || f.clientIp() == null) return null;
        boolean clientIsLocal = e.isLocalAddress(f.clientIp());
        boolean wantClient = local == clientIsLocal;
        if (port) return (long) (wantClient ? f.clientPort() : f.serverPort());
        return wantClient ? f.clientIp() : f.serverIp();
    }

    /**
     * fd.net: libsinsp's compare_net reads the fd's addresses whatever its role, so a socket not
     * yet connected (0.0.0.0, or the address a connect enter set) is matched too; a listening
     * socket by its address.
     */
    private static Object netAddresses(EventView e) {
        FdView f = fdOf(e);
        if (f == null) return null;
        int len = f.typeChar() == '4' ? 4 : f.typeChar() == '6' ? 16 : 0;
        if (len == 0) return null;
        if (f.serverSocket()) return orZero(f.serverIp(), len);
        return both(orZero(f.clientIp(), len), orZero(f.serverIp(), len));
    }

    private static InetAddress orZero(InetAddress a, int len) {
        if (a != null) return a;
        try {
            return InetAddress.getByAddress(new byte[len]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object both(Object a, Object b) {
        List<Object> values = new ArrayList<>(2);
        if (a != null) values.add(a);
        if (b != null) values.add(b);
        return values.isEmpty() ? null : new AnyOf(values, true);
    }

    private static Object fdv(EventView e, Function<FdView, Object> f) {
        FdView fd = fdOf(e);
        return fd == null ? null : f.apply(fd);
    }

    private static void fdf(FieldRegistry r, String name, FieldType type, String desc, Function<FdView, Object> f) {
        r.add(name, type, NONE, desc, (e, a) -> fdv(e, f));
    }

    /** sysdig 0.29's fd.directory of a path: up to the last '/', "/" when there is none or only a leading one. */
    static String directoryOf(String path) {
        if (path == null) return null;
        int slash = path.lastIndexOf('/');
        if (slash <= 0) return "/";
        return slash < path.length() - 1 ? path.substring(0, slash) : path;
    }

    static String basename(String path) {
        if (path == null) return null;
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    // ---------------- container.* and k8s.* ----------------

    private static void container(FieldRegistry r) {
        r.add("container.id", STRING, NONE, "container id, 'host' outside containers", (e, a) -> {
            ThreadView t = e.thread();
            return t == null ? null : t.containerId() == null ? "host" : t.containerId();
        });
        r.add("container.name", STRING, NONE, "container name, 'host' outside containers", (e, a) -> {
            ThreadView t = e.thread();
            if (t == null) return null;
            if (t.containerId() == null || t.containerId().equals("host")) return "host";
            ContainerView c = t.container();
            return c == null ? null : c.name();
        });
        cnt(r, "container.image", "image as the runtime reported it", ContainerView::image);
        cnt(r, "container.image.repository", "image repository", ContainerView::imageRepository);
        cnt(r, "container.image.tag", "image tag", ContainerView::imageTag);
        cnt(r, "container.image.id", "image id", ContainerView::imageId);
        cnt(r, "container.type", "runtime: docker, cri-o, containerd...", ContainerView::type);
        r.add("container.privileged", BOOL, NONE, "privileged container", (e, a) -> {
            ContainerView c = container(e);
            return c == null ? null : c.privileged();
        });
        k8s(r, "k8s.pod.name", "io.kubernetes.pod.name");
        k8s(r, "k8s.ns.name", "io.kubernetes.pod.namespace");
        k8s(r, "k8s.pod.uid", "io.kubernetes.pod.uid");
        k8s(r, "k8s.pod.id", "io.kubernetes.pod.uid");
        k8s(r, "k8s.container.name", "io.kubernetes.container.name");
        r.add("k8s.pod.label", STRING, REQUIRED, "a pod label", (e, a) -> {
            ContainerView c = container(e);
            return c == null || c.labels() == null ? null : c.labels().get(a);
        });
        mounts(r);
        r.add("container.label", STRING, REQUIRED, "a container label", (e, a) -> {
            ContainerView c = container(e);
            return c == null || c.labels() == null ? null : c.labels().get(a);
        });
    }

    /**
     * container.mounts and container.mount[.source|.dest|.mode|.rdwr|.propagation][N or glob] as libsinsp had
     * them before the container plugin (sinsp_filtercheck_container.cpp at 1a0b3178e^): an argument that is a
     * number is an index, else a glob over the source (over the destination for .source); no value for host
     * threads or when no mount matches (its field description says container.mount reads "none" then, but
     * sysdig 0.29.3 prints {@code <NA>}: the code returns no value).
     */
    private static void mounts(FieldRegistry r) {
        r.add("container.mounts", STRING, NONE, "the container's mounts, source:dest:mode:rdwr:propagation, comma-separated",
                (e, a) -> {
                    ContainerView c = container(e);
                    if (c == null) return null;
                    List<String> all = new ArrayList<>();
                    for (var m : c.mounts()) all.add(m.text());
                    return String.join(",", all);
                });
        record Part(String name, String desc, Function<dev.stasis.capture.state.ContainerMount, String> f) {}
        List<Part> parts = List.of(
                new Part("container.mount", "one mount as source:dest:mode:rdwr:propagation, by index or source glob",
                        dev.stasis.capture.state.ContainerMount::text),
                new Part("container.mount.source", "a mount's source, by index or destination glob",
                        dev.stasis.capture.state.ContainerMount::source),
                new Part("container.mount.dest", "a mount's destination, by index or source glob",
                        dev.stasis.capture.state.ContainerMount::dest),
                new Part("container.mount.mode", "a mount's mode, by index or source glob",
                        dev.stasis.capture.state.ContainerMount::mode),
                new Part("container.mount.rdwr", "a mount's read/write flag (true/false), by index or source glob",
                        m -> Boolean.toString(m.readWrite())),
                new Part("container.mount.propagation", "a mount's propagation, by index or source glob",
                        dev.stasis.capture.state.ContainerMount::propagation));
        for (Part part : parts) {
            boolean bySource = !part.name().equals("container.mount.source");
            r.add(part.name(), STRING, REQUIRED, part.desc(), (e, a) -> {
                ContainerView c = container(e);
                if (c == null) return null;
                var m = mountOf(c.mounts(), a, bySource);
                return m == null ? null : part.f().apply(m);
            });
        }
    }

    private static dev.stasis.capture.state.ContainerMount mountOf(List<dev.stasis.capture.state.ContainerMount> mounts,
            String arg, boolean bySource) {
        try {
            int idx = Integer.parseInt(arg.strip());
            return idx >= 0 && idx < mounts.size() ? mounts.get(idx) : null;
        } catch (NumberFormatException notIndex) {
            var glob = Glob.compile(arg, false);
            for (var m : mounts) {
                if (glob.matcher(bySource ? m.source() : m.dest()).matches()) return m;
            }
            return null;
        }
    }

    private static ContainerView container(EventView e) {
        ThreadView t = e.thread();
        return t == null ? null : t.container();
    }

    private static void cnt(FieldRegistry r, String name, String desc, Function<ContainerView, Object> f) {
        r.add(name, STRING, NONE, desc, (e, a) -> {
            ContainerView c = container(e);
            return c == null ? null : f.apply(c);
        });
    }

    private static void k8s(FieldRegistry r, String name, String label) {
        r.add(name, STRING, NONE, "Kubernetes " + name.substring(4) + " (from the container's " + label + " label)",
                (e, a) -> {
                    ContainerView c = container(e);
                    Map<String, String> labels = c == null ? null : c.labels();
                    return labels == null ? null : labels.get(label);
                });
    }

}
