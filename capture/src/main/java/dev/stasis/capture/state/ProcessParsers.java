package dev.stasis.capture.state;

import dev.stasis.capture.scap.RawEvent;

/**
 * libsinsp's process lifecycle: clone/fork/vfork (the child, or the parent when the child's
 * exit comes first), execve, credentials (set*id, capset) and the working directory.
 */
final class ProcessParsers {
    private static final int CL_CLONE_THREAD = 1 << 13; // PPM_CL_CLONE_THREAD
    private static final int CL_CHILD_IN_PIDNS = 1 << 29; // PPM_CL_CHILD_IN_PIDNS
    private static final int CL_CLONE_INVERTED = 1 << 16; // PPM_CL_CLONE_INVERTED
    private static final int CL_NAME_CHANGED = 1 << 17; // PPM_CL_NAME_CHANGED
    private static final int CL_ACTIVE = 1 << 19; // PPM_CL_ACTIVE
    /** PPM_CL_PIPE_SRC, PPM_CL_PIPE_DST, PPM_CL_IS_MAIN_THREAD: what an execve keeps. */
    private static final int CL_KEPT_ON_EXEC = 1 << 21 | 1 << 22 | 1 << 30;
    private static final long CLONE_STALE_NS = 100_000_000L;

    private final CaptureState state;
    private final ContainerResolver containers;

    ProcessParsers(CaptureState state, ContainerResolver containers) {
        this.state = state;
        this.containers = containers;
    }

    void cloneExit(ParseContext c) {
        RawEvent e = c.e;
        long tid = e.tid();
        long childtid = c.num("res", -1);
        long flags = c.num("flags", 0);
        if (childtid < 0) {
            return;
        }
        long vtid = c.has("vtid") ? c.num("vtid", tid) : tid;
        long vpid = c.has("vpid") ? c.num("vpid", -1) : -1;
        boolean inContainer = (flags & CL_CHILD_IN_PIDNS) != 0 || tid != vtid;
        boolean inverted = false;
        if (childtid == 0) {
            ThreadInfo self = state.thread(tid);
            if (self != null && self.cloneTs != 0 && e.ts() - self.cloneTs > CLONE_STALE_NS) {
                state.remove(tid);
                self = null;
            }
            long parenttid = (flags & CL_CLONE_THREAD) != 0 ? c.num("pid", -1) : c.num("ptid", -1);
            if (self == null) {
                inverted = true;
                childtid = tid;
                tid = parenttid;
            } else {
                if (inContainer) {
                    self.vtid = vtid;
                    self.vpid = vpid;
                }
                c.t = self;
                return;
            }
        } else if (inContainer) {
            return;
        }
        ThreadInfo parent = state.getOrCreate(tid);
        if (c.t == null && !inverted) {
            c.t = parent;
        }
        ThreadInfo existing = state.thread(childtid);
        if (existing != null) {
            if ((existing.flags & CL_CLONE_INVERTED) != 0) {
                return;
            }
            state.remove(childtid);
        }
        ThreadInfo child = new ThreadInfo(state, childtid);
        child.ptid = tid;
        boolean validParent = !(parent.comm.equals("<NA>") && parent.uid == ThreadInfo.UNKNOWN_ID);
        String exe = c.str("exe");
        String comm = c.has("comm") ? c.str("comm") : exe;
        byte[] args = c.bytes("args");
        if (validParent) {
            child.comm = parent.comm;
            child.exe = parent.exe;
            child.exepath = parent.exepath;
            child.exeWritable = parent.exeWritable;
            child.args = parent.args;
            child.root = parent.root;
            child.sid = parent.sid;
            child.vpgid = parent.vpgid;
            child.loginuid = parent.loginuid;
            child.tty = parent.tty;
            child.capInheritable = parent.capInheritable;
            child.capPermitted = parent.capPermitted;
            child.capEffective = parent.capEffective;
            if ((flags & CL_CLONE_THREAD) == 0) {
                child.env = parent.env;
            }
        } else {
            parent.comm = comm;
            parent.exe = exe;
            if (args != null) {
                parent.args = NulSeparated.split(args, args.length);
            }
        }
        child.pid = (flags & CL_CLONE_THREAD) != 0 ? c.num("pid", childtid) : childtid;
        child.flags = (int) flags;
        if ((flags & CL_CLONE_THREAD) == 0) {
            LongMap<FdInfo> parentFds = parent.fdTable();
            for (long fd : parentFds.keys()) {
                child.fds.put(fd, parentFds.get(fd).copy(fd));
            }
            child.cwd = parent.cwd();
        }
        if (inverted) {
            child.flags |= CL_CLONE_INVERTED;
        }
        if (exe != null) {
            child.exe = exe;
        }
        if (comm != null) {
            child.comm = comm;
        }
        if (args != null) {
            child.args = NulSeparated.split(args, args.length);
        }
        child.fdlimit = c.num("fdlimit", 0);
        child.pfMajor = c.num("pgft_maj", 0);
        child.pfMinor = c.num("pgft_min", 0);
        child.vmsizeKb = (int) c.num("vm_size", 0);
        child.vmrssKb = (int) c.num("vm_rss", 0);
        child.vmswapKb = (int) c.num("vm_swap", 0);
        child.uid = (int) c.num("uid", parent.uid);
        child.gid = (int) c.num("gid", parent.gid);
        if (inContainer) {
            child.vtid = vtid;
            child.vpid = vpid;
        } else {
            child.vtid = child.tid;
            child.vpid = child.pid;
        }
        byte[] cg = c.bytes("cgroups");
        if (cg != null) {
            child.cgroups = NulSeparated.split(cg, cg.length);
        } else {
            child.cgroups = parent.cgroups;
        }
        containers.resolve(child);
        child.cloneTs = e.ts();
        state.add(child);
        if (inverted) {
            c.t = child;
        }
    }

    /** libsinsp's parse_capset_exit: a successful capset sets the thread's three sets. */
    void capsetExit(ParseContext c) {
        if (c.t == null || c.num("res", -1) < 0 || !c.has("cap_effective")) {
            return;
        }
        c.t.capInheritable = c.num("cap_inheritable", c.t.capInheritable);
        c.t.capPermitted = c.num("cap_permitted", c.t.capPermitted);
        c.t.capEffective = c.num("cap_effective", c.t.capEffective);
    }

    void execveExit(ParseContext c) {
        ThreadInfo t = c.t;
        if (t == null || c.num("res", -1) < 0) {
            return;
        }
        String exe = c.str("exe");
        if (exe != null) {
            t.exe = exe;
            t.comm = c.has("comm") ? c.str("comm") : exe;
        }
        byte[] args = c.bytes("args");
        if (args != null) {
            t.args = NulSeparated.split(args, args.length);
        }
        t.pid = c.num("pid", t.pid);
        if (t.ptid == -1) {
            t.ptid = c.num("ptid", -1);
        }
        t.fdlimit = c.num("fdlimit", t.fdlimit);
        t.pfMajor = c.num("pgft_maj", t.pfMajor);
        t.pfMinor = c.num("pgft_min", t.pfMinor);
        t.vmsizeKb = (int) c.num("vm_size", t.vmsizeKb);
        t.vmrssKb = (int) c.num("vm_rss", t.vmrssKb);
        t.vmswapKb = (int) c.num("vm_swap", t.vmswapKb);
        byte[] env = c.bytes("env");
        if (env != null) {
            t.env = NulSeparated.split(env, env.length);
        }
        byte[] cg = c.bytes("cgroups");
        if (cg != null) {
            t.cgroups = NulSeparated.split(cg, cg.length);
            containers.resolve(t);
        }
        if (c.enter != null) {
            int fi = ParseContext.enterIdx(c.enter, "filename");
            if (fi >= 0) {
                String fn = c.enter.string(fi);
                t.exepath = fn.startsWith("<NA>") ? "<NA>" : Paths.concatenate(t.cwd(), fn);
            }
        }
        if (c.has("vpgid")) {
            t.vpgid = c.num("vpgid", t.vpgid);
        }
        if (c.has("loginuid")) {
            t.loginuid = (int) c.num("loginuid", t.loginuid);
        }
        if (c.has("flags")) {
            t.exeWritable = (c.num("flags", 0) & 1) != 0;
        }
        if (c.has("tty")) { // execve exits from driver versions that report it (libsinsp reads param 16)
            t.tty = (int) c.num("tty", 0);
        }
        if (c.has("cap_effective")) { // all three sets come together (newer drivers)
            t.capInheritable = c.num("cap_inheritable", t.capInheritable);
            t.capPermitted = c.num("cap_permitted", t.capPermitted);
            t.capEffective = c.num("cap_effective", t.capEffective);
        }
        // sinsp clears the thread's flags but keeps the inverted-clone and shell-pipe/main-thread ones:
        // a parent's clone exit arriving after its child exec'd must still leave the child alone
        t.flags = CL_ACTIVE | CL_NAME_CHANGED | (t.flags & (CL_CLONE_INVERTED | CL_KEPT_ON_EXEC));
    }

    /** setuid/setgid/setresuid/setresgid: a success takes the (effective) id from the enter event. */
    void setIdExit(ParseContext c, String param, boolean uid) {
        if (c.num("res", -1) >= 0 && c.enter != null) {
            setFromEnter(c, param, uid);
        }
    }

    void setsidExit(ParseContext c) {
        long r = c.num("res", -1);
        if (r >= 0 && c.t != null) {
            c.t.sid = r;
        }
    }

    private void setFromEnter(ParseContext c, String param, boolean uid) {
        int i = ParseContext.enterIdx(c.enter, param);
        if (i < 0 || c.t == null) {
            return;
        }
        long v = c.enter.integer(i, false);
        if (v == 0xFFFFFFFFL) {
            return;
        }
        if (uid) {
            c.t.uid = (int) v;
        } else {
            c.t.gid = (int) v;
        }
    }

    void chdirExit(ParseContext c) {
        if (c.t == null || c.num("res", -1) < 0) {
            return;
        }
        String path = c.str("path");
        if (path != null) {
            setCwd(c.t, path);
        }
    }

    void fchdirExit(ParseContext c) {
        if (c.t == null || c.num("res", -1) < 0 || c.fd == null) {
            return;
        }
        setCwd(c.t, c.fd.name);
    }

    private static void setCwd(ThreadInfo t, String path) {
        ThreadInfo m = t.mainThread();
        String cwd = Paths.concatenate(m.cwd, path);
        if (cwd.isEmpty() || !cwd.endsWith("/")) {
            cwd += "/";
        }
        m.cwd = cwd;
    }
}
