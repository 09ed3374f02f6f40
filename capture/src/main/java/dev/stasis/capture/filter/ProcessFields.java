package dev.stasis.capture.filter;

import static dev.stasis.capture.filter.FieldDef.ArgPolicy.NONE;
import static dev.stasis.capture.filter.FieldDef.ArgPolicy.OPTIONAL;
import static dev.stasis.capture.filter.FieldType.ABSTIME;
import static dev.stasis.capture.filter.FieldType.BOOL;
import static dev.stasis.capture.filter.FieldType.INT;
import static dev.stasis.capture.filter.FieldType.RELTIME;
import static dev.stasis.capture.filter.FieldType.STRING;
import static dev.stasis.capture.filter.FieldType.UINT;

import dev.stasis.capture.filter.EventView.ThreadView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The fields of the event's thread: {@code proc.*}, {@code thread.*}, {@code user.*} and
 * {@code group.*} (libsinsp's sinsp_filter_check_thread, _user and _group); null on events
 * of no known thread.
 */
final class ProcessFields {
    private ProcessFields() {}

    static void register(FieldRegistry r) {
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
        thr(r, "proc.cmdline", STRING, "name and arguments", ProcessFields::cmdline);
        // libsinsp writes the space after the exe even when there are no arguments ("sort ")
        thr(r, "proc.exeline", STRING, "exe and arguments", t -> t.exe() + " " + String.join(" ", t.args()));
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
        thr(r, "proc.pcmdline", STRING, "parent's command line", t -> parentOr(t, ProcessFields::cmdline));
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
        threadFigures(r);
        user(r);
    }

    /** Fds and cgroups (sysdig 0.29.3's sinsp_filter_check_thread). */
    private static void threadFigures(FieldRegistry r) {
        thr(r, "proc.fdopencount", UINT, "fds open in the process's table", t -> t.fdOpenCount());
        thr(r, "thread.cgroups", STRING, "the thread's cgroups: \"subsystem=path\" separated by spaces", t -> {
            List<String[]> cg = cgroups(t);
            if (cg.isEmpty()) return null;
            StringBuilder sb = new StringBuilder();
            for (String[] c : cg) sb.append(sb.isEmpty() ? "" : " ").append(c[0]).append('=').append(c[1]);
            return sb.toString();
        });
        r.add("thread.cgroup", STRING, FieldDef.ArgPolicy.REQUIRED, "the thread's cgroup of a subsystem: thread.cgroup.cpu",
                (e, a) -> {
                    ThreadView t = e.thread();
                    if (t == null) return null;
                    for (String[] c : cgroups(t)) if (c[0].equals(a)) return c[1];
                    return null;
                });
        // the pid of the eldest of the process and its ancestors whose name ends in "sh"
        thr(r, "proc.loginshellid", INT, "pid of the eldest shell among the process and its ancestors", t -> {
            Long shell = null;
            int guard = 0;
            for (ThreadView p = t.mainThread(); p != null && guard++ < 4096; p = p.parent()) {
                String comm = p.comm();
                if (comm != null && comm.endsWith("sh")) shell = p.pid();
            }
            return shell;
        });
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

    /**
     * The thread's cgroups as libsinsp's set_cgroups keeps them: split at the last '=', "_cgroup"
     * taken out of the subsystem, perf, mem and io renamed perf_event, memory and blkio; an entry
     * without '=' ends the list.
     */
    private static List<String[]> cgroups(ThreadView t) {
        List<String[]> out = new ArrayList<>();
        for (String c : t.cgroups()) {
            int eq = c.lastIndexOf('=');
            if (eq < 0) break;
            String subsys = c.substring(0, eq);
            int pos = subsys.indexOf("_cgroup");
            if (pos >= 0) subsys = subsys.substring(0, pos) + subsys.substring(pos + "_cgroup".length());
            subsys = switch (subsys) {
                case "perf" -> "perf_event";
                case "mem" -> "memory";
                case "io" -> "blkio";
                default -> subsys;
            };
            out.add(new String[] {subsys, c.substring(eq + 1)});
        }
        return out;
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
}
