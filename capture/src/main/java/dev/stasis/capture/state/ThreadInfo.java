package dev.stasis.capture.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A thread as the state engine knows it at the current event (sysdig's threadinfo):
 * ids, command, executable, arguments, environment, cwd, credentials, namespace ids,
 * cgroups and container, and the fd table. Threads of one process share the main
 * thread's fd table and cwd, as in sysdig. Mutated only by the state engine.
 */
public final class ThreadInfo {
    /** Unknown uid/gid/loginuid, printed by sysdig as 4294967295 or -1. */
    public static final int UNKNOWN_ID = -1;

    final CaptureState state;
    long tid;
    long pid;
    long ptid = -1;
    long sid = -1;
    long vpgid = -1;
    long vtid = -1;
    long vpid = -1;
    String comm = "<NA>";
    String exe = "<NA>";
    String exepath = "";
    List<String> args = List.of();
    List<String> env = List.of();
    List<String> cgroups = List.of();
    String cwd = "";
    String root = "";
    long fdlimit;
    int flags;
    int uid = UNKNOWN_ID;
    int gid = UNKNOWN_ID;
    int loginuid = UNKNOWN_ID;
    boolean exeWritable;
    int tty;
    long capInheritable, capPermitted, capEffective;
    String containerId = "";
    long cloneTs;
    int vmsizeKb, vmrssKb, vmswapKb;
    long pfMajor, pfMinor;
    final LongMap<FdInfo> fds = new LongMap<>();
    // Pairing of enter and exit events (sysdig's m_lastevent_*).
    int lastEventType = -1;
    long lastEventFd = 0; // sysdig initialises it to 0, which its fd fields fall back on
    dev.stasis.capture.scap.RawEvent lastEnter;
    boolean lastEnterValid;
    /** Set when the thread leaves the table, so that cached references to it are dropped. */
    boolean removed;
    private ThreadInfo mainRef;
    /** This thread's own copy of its last enter event (the reader's event is reused). */
    private dev.stasis.capture.scap.RawEvent enterHolder;
    long lastEventTs;
    /** libsinsp's m_latency and m_last_latency_entertime (evt.latency). */
    long latency;
    long latencyEnterTs;

    ThreadInfo(CaptureState state, long tid) {
        this.state = state;
        this.tid = tid;
        this.pid = tid;
    }

    public long tid() { return tid; }
    public long pid() { return pid; }
    /** Parent thread id (-1 if unknown). */
    public long ptid() { return ptid; }
    public long sid() { return sid; }
    public long vpgid() { return vpgid; }
    public long vtid() { return vtid; }
    public long vpid() { return vpid; }
    /** %proc.name: the command name (comm), "<NA>" for threads first seen mid-capture. */
    public String comm() { return comm; }
    /** %proc.exe: the first command-line argument as the process saw it. */
    public String exe() { return exe; }
    /** %proc.exepath: full path of the executable (empty if unknown). */
    public String exepath() { return exepath; }
    public List<String> args() { return args; }
    public List<String> env() { return env; }
    public List<String> cgroups() { return cgroups; }
    public String root() { return root; }
    public long fdlimit() { return fdlimit; }
    public int flags() { return flags; }
    /** uid, or -1 (4294967295 unsigned) if unknown. */
    public int uid() { return uid; }
    public int gid() { return gid; }
    public int loginuid() { return loginuid; }
    public boolean exeWritable() { return exeWritable; }
    /**
     * %proc.tty: the controlling terminal's device number (major << 8 | minor for the
     * low numbers, e.g. 34816 = /dev/pts/0), 0 if none. Set by execve exits that carry
     * it (not older ones), by newer process lists, and inherited across clone.
     */
    public int tty() { return tty; }
    /**
     * Capability sets as bit masks (bit n = capability n, CAP_CHOWN = 0), 0 when the
     * capture does not say: they come from execve exits and capset of newer drivers,
     * and from process lists written by libs 0.10 or later; clone inherits them.
     */
    public long capInheritable() { return capInheritable; }
    public long capPermitted() { return capPermitted; }
    public long capEffective() { return capEffective; }
    public long cloneTs() { return cloneTs; }
    public int vmsizeKb() { return vmsizeKb; }
    public int vmrssKb() { return vmrssKb; }
    public int vmswapKb() { return vmswapKb; }
    public long pfMajor() { return pfMajor; }
    public long pfMinor() { return pfMinor; }
    /** Number of fds in the process's table (libsinsp's get_fd_opencount). */
    public int fdOpenCount() { return fdTable().size(); }
    /** Short container id (12 hex chars), or "" on the host (sysdig prints "host"). */
    public String containerId() { return containerId; }
    public boolean inContainer() { return !containerId.isEmpty(); }
    public boolean isMainThread() { return tid == pid; }
    /**
     * The fd of this thread's last enter event (sysdig's m_lastevent_fd); sysdig's fd.*
     * fields fall back on it when an fd-related event has no fd of its own.
     */
    public long lastEventFd() { return lastEventFd; }

    /** %proc.args: the arguments after argv[0], space-separated. */
    public String argsString() {
        return String.join(" ", args);
    }

    /** %proc.cmdline: comm followed by the arguments. */
    public String cmdline() {
        return args.isEmpty() ? comm : comm + " " + argsString();
    }

    /** The process's main thread (tid == pid), or this thread if it is not known. */
    public ThreadInfo mainThread() {
        if (tid == pid) {
            return this;
        }
        ThreadInfo m = mainRef;
        if (m == null || m.removed || m.tid != pid) {
            m = state.thread(pid);
            mainRef = m; // null is looked up again next time: the main thread may appear later
        }
        return m != null ? m : this;
    }

    /** The parent thread, or null if it is not in the table. */
    public ThreadInfo parent() {
        return ptid < 0 ? null : state.thread(ptid);
    }

    /** Ancestor {@code n} levels up (1 = parent), or null (sysdig's proc.aname[n]). */
    public ThreadInfo ancestor(int n) {
        ThreadInfo t = this;
        for (int i = 0; i < n && t != null; i++) {
            ThreadInfo p = t.mainThread().parent();
            if (p == t) {
                return null;
            }
            t = p;
        }
        return t;
    }

    /** %proc.cwd: the process's working directory (shared by its threads). */
    public String cwd() {
        return mainThread().cwd;
    }

    /** A snapshot of the process's fd table (shared by its threads), by fd number. */
    public Map<Long, FdInfo> fds() {
        java.util.TreeMap<Long, FdInfo> out = new java.util.TreeMap<>();
        LongMap<FdInfo> table = fdTable();
        for (long fd : table.keys()) {
            out.put(fd, table.get(fd));
        }
        return Collections.unmodifiableMap(out);
    }

    public FdInfo fd(long fd) {
        return fdTable().get(fd);
    }

    /** The state engine's lookup (libsinsp's get_fd): the fd's current name becomes its old name. */
    FdInfo lookupFd(long fd) {
        FdInfo f = fdTable().get(fd);
        if (f != null) {
            f.oldName = f.name;
        }
        return f;
    }

    /**
     * %proc.sname's thread: the session leader, by the convention that a session id is
     * its leader's pid; when that process is gone, the eldest ancestor of this process
     * with the same session id (libsinsp, sysdig 0.29).
     */
    public ThreadInfo sessionLeader() {
        ThreadInfo s = state.thread(sid);
        if (s != null) {
            return s;
        }
        ThreadInfo mt = mainThread();
        long msid = mt.sid;
        int guard = 0;
        for (ThreadInfo p = mt.parent(); p != null && p.sid == msid && guard++ < 4096; p = p.parent()) {
            mt = p;
            if (p.parent() == p) {
                break;
            }
        }
        return mt;
    }

    LongMap<FdInfo> fdTable() {
        return mainThread().fds;
    }

    dev.stasis.capture.scap.RawEvent enterHolder() {
        if (enterHolder == null) {
            enterHolder = new dev.stasis.capture.scap.RawEvent();
        }
        return enterHolder;
    }

    @Override
    public String toString() {
        return "ThreadInfo[tid=" + tid + ", pid=" + pid + ", comm=" + comm + "]";
    }
}
