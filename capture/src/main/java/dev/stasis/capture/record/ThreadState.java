package dev.stasis.capture.record;

import dev.stasis.capture.scap.ProcessEntry;

/**
 * What the recorder knows about a thread, to fill the process parameters the driver
 * puts in clone and execve exits (exe, args, cwd, ...): first from /proc, then kept
 * up to date from the calls the thread makes. Byte arrays are NUL-separated lists.
 */
final class ThreadState {
    long tid;
    long pid;
    long ptid;
    long sid;
    long vpgid;
    String comm = "";
    String exe = "";
    String exepath = "";
    byte[] args = new byte[0];
    String cwd = "/";
    long fdlimit = 1024;
    int uid;
    int gid;
    byte[] env = new byte[0];
    long vtid;
    long vpid;
    byte[] cgroups = new byte[0];
    String root = "/";
    int loginuid = -1;

    ThreadState copyFor(long newTid, long newPid, long newPtid) {
        ThreadState t = new ThreadState();
        t.tid = newTid;
        t.pid = newPid;
        t.ptid = newPtid;
        t.sid = sid;
        t.vpgid = vpgid;
        t.comm = comm;
        t.exe = exe;
        t.exepath = exepath;
        t.args = args;
        t.cwd = cwd;
        t.fdlimit = fdlimit;
        t.uid = uid;
        t.gid = gid;
        t.env = env;
        // in a pid namespace the new ids are unknown until /proc says; the host ids are the best guess
        t.vtid = vtid == tid ? newTid : vtid;
        t.vpid = vpid == pid ? newPid : vpid;
        t.cgroups = cgroups;
        t.root = root;
        t.loginuid = loginuid;
        return t;
    }

    ProcessEntry entry(long vmsizeKb, long vmrssKb, long vmswapKb, long pfMajor, long pfMinor) {
        int flags = tid == pid ? 0 : (1 << 13 | 1 << 0); // PPM_CL_CLONE_THREAD | PPM_CL_CLONE_FILES, as libscap
        // libscap refuses a process list with longer values (SCAP_MAX_PATH_SIZE, SCAP_MAX_ARGS_SIZE, ...)
        return new ProcessEntry(tid, pid, ptid, sid, vpgid, cut(comm), cut(exe), cut(exepath), cut(args), cut(cwd),
                fdlimit, flags, uid, gid, (int) vmsizeKb, (int) vmrssKb, (int) vmswapKb, pfMajor, pfMinor, cut(env),
                vtid, vpid, cut(cgroups), cut(root), loginuid, false, 0, 0, 0, 0);
    }

    static final int MAX_PATH = 1023;
    static final int MAX_LIST = 4096;

    static String cut(String s) {
        if (s.length() <= MAX_PATH / 4) {
            return s;
        }
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return b.length <= MAX_PATH ? s : new String(b, 0, MAX_PATH, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A NUL-separated list cut at the last whole entry that fits. */
    static byte[] cut(byte[] b) {
        if (b.length <= MAX_LIST) {
            return b;
        }
        int end = MAX_LIST;
        while (end > 0 && b[end - 1] != 0) {
            end--;
        }
        return java.util.Arrays.copyOf(b, end);
    }
}
