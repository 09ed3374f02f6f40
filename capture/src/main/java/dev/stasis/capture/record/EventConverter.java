package dev.stasis.capture.record;

import dev.stasis.capture.record.StraceArgs.Fd;
import dev.stasis.capture.record.StraceArgs.Ret;
import dev.stasis.capture.record.StraceArgs.SockAddr;
import dev.stasis.capture.record.StraceArgs.Tuple;
import dev.stasis.capture.record.StraceRecord.Syscall;
import dev.stasis.capture.scap.EventTable;
import dev.stasis.capture.scap.FdEntry;
import dev.stasis.capture.scap.RawEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns strace's records into scap events, each call as an enter and an exit event
 * in the versions sysdig 0.29.3's driver wrote (libs e5c53d64), with that
 * version's parameters: its libsinsp takes the fd of a read or write from the enter
 * event and completes opens, connects and execs from the pair. Calls that driver
 * had no event for are written as its generic "syscall" events. Buffers are cut at
 * the snap length, as {@code sysdig -s} does.
 *
 * <p>Process parameters the driver reads from the kernel (exe, args, cwd, comm,
 * ids) come from the thread state: /proc when recording starts, then the
 * recorded clones, execs and chdirs.
 */
final class EventConverter {
    /** Where events go (the writer). */
    interface Sink {
        void write(RawEvent e) throws IOException;
    }

    private static final Set<String> CLONES = Set.of("clone", "clone3", "fork", "vfork");
    private static final int COMM_MAX = 15;

    private final Sink sink;
    private final int snaplen;
    private final ProcScan proc;
    private final Map<Long, ThreadState> threads;
    private final Set<Long> processes = new HashSet<>();
    private final Map<Long, HeldConnect> held = new HashMap<>();
    private final Map<String, Integer> ppmSc = new HashMap<>();
    /**
     * Clones by threads in a pid namespace (a container): the call returns the child's id
     * in that namespace, not the host id strace names the child by; the child is matched
     * to its parent when it first shows up (oldest first).
     */
    private final java.util.ArrayDeque<long[]> unmatchedClones = new java.util.ArrayDeque<>();
    private long events;

    /** A connect exit waiting for its source address (see {@link #connect}). */
    private record HeldConnect(long ts, long tid, long res, long fd, SockAddr dst) {}

    EventConverter(Sink sink, int snaplen, ProcScan proc, Map<Long, ThreadState> threads) {
        this.sink = sink;
        this.snaplen = snaplen;
        this.proc = proc;
        this.threads = threads;
        EventTable t = EventTable.get();
        for (int i = 1; i < 1024; i++) {
            String n = t.syscallName(i);
            if (!n.equals("<unknown>")) {
                ppmSc.putIfAbsent(n, i);
            }
        }
    }

    long events() {
        return events;
    }

    /** Distinct processes that produced events. */
    int processes() {
        return processes.size();
    }

    /** Converts one record; {@code parser} tells which threads are inside a clone (to name a new thread's parent). */
    void accept(StraceRecord r, StraceParser parser) {
        try {
            HeldConnect h = held.remove(r.tid());
            if (h != null) {
                flushConnect(h, r);
            }
            ThreadState t = threads.get(r.tid());
            if (t == null) {
                t = newThread(r.tid(), r.ts(), parser);
            }
            processes.add(t.pid);
            switch (r) {
                case Syscall s -> syscall(t, s);
                case StraceRecord.Signal s -> {
                    Params p = new Params().i64(s.senderPid()).i64(t.tid).u8(Flags.signal(s.signal()));
                    emit(p.event(s.ts(), t.tid, 232));
                }
                case StraceRecord.Exit x -> {
                    int sig = x.signal() == null ? 0 : Flags.signal(x.signal());
                    long status = x.signal() == null ? (long) x.code() << 8 : sig | (x.core() ? 0x80 : 0);
                    emit(new Params().i64(status).i64(x.code()).u8(sig).u8(x.core() ? 1 : 0).event(x.ts(), t.tid, 186));
                    threads.remove(t.tid);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes what is still held back (end of the recording). */
    void finish() {
        try {
            for (HeldConnect h : held.values()) {
                flushConnect(h, null);
            }
            held.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void emit(RawEvent e) throws IOException {
        sink.write(e);
        events++;
    }

    /**
     * A thread strace reports before its parent's clone returned (or that was born
     * between the /proc scan and the attach): its state comes from the thread in the
     * middle of a clone, else /proc, and a child-side clone exit (res 0) tells the
     * reader who it is, as the driver's child event does.
     */
    private ThreadState newThread(long tid, long ts, StraceParser parser) throws IOException {
        String status = ProcScan.read(Path.of("/proc/" + tid + "/status"));
        long tgid = status == null ? tid : statusField(status, "Tgid", tid);
        long ppid = status == null ? -1 : statusField(status, "PPid", -1);
        ThreadState parent = null;
        String call = "clone";
        long nsId = -1;
        for (long p : parser.pendingThreads(CLONES)) {
            ThreadState c = threads.get(p);
            if (c != null && (c.pid == tgid || c.pid == ppid || parent == null)) {
                parent = c;
                call = parser.pendingCall(p);
            }
        }
        if (parent == null) {
            for (java.util.Iterator<long[]> it = unmatchedClones.iterator(); it.hasNext(); ) {
                long[] u = it.next(); // parent tid, type
                ThreadState c = threads.get(u[0]);
                if (c == null) {
                    it.remove();
                } else if (status == null || c.pid == tgid || c.pid == ppid) {
                    parent = c;
                    call = u[1] == 224 ? "fork" : u[1] == 226 ? "vfork" : u[1] == 334 ? "clone3" : "clone";
                    nsId = u[2];
                    it.remove();
                    break;
                }
            }
        }
        ThreadState t = null;
        if (parent == null || status != null) {
            t = proc.thread(tgid, tid);
        }
        if (t == null && parent != null) {
            boolean sameProcess = tgid == parent.pid && tgid != tid;
            t = parent.copyFor(tid, sameProcess ? parent.pid : tid, sameProcess ? parent.ptid : parent.pid);
            if (nsId > 0) {
                t.vtid = nsId;
                t.vpid = sameProcess ? parent.vpid : nsId;
            }
        }
        if (t == null) {
            t = new ThreadState();
            t.tid = tid;
            t.pid = tgid;
            t.ptid = ppid;
            t.vtid = tid;
            t.vpid = tgid;
        }
        threads.put(tid, t);
        int type = switch (call) {
            case "fork" -> 225;
            case "vfork" -> 227;
            case "clone3" -> 335;
            default -> 223;
        };
        long flags = t.pid != t.tid ? (1 << 13 | 1 << 15 | 1 << 0 | 1 << 1 | 1 << 11) : 0;
        emit(cloneExit(t, 0, flags).event(ts, tid, type));
        return t;
    }

    private static long statusField(String status, String key, long dflt) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                return StraceArgs.number(line.substring(key.length() + 1).strip(), dflt);
            }
        }
        return dflt;
    }

    private Params cloneExit(ThreadState t, long res, long flags) {
        return new Params().i64(res).str(t.exe).buf(ThreadState.cut(t.args)).i64(t.tid).i64(t.pid).i64(t.ptid)
                .str(t.cwd).i64(t.fdlimit).i64(0).i64(0).u32(0).u32(0).u32(0).str(t.comm)
                .buf(ThreadState.cut(t.cgroups)).u32(flags)
                .u32(t.uid).u32(t.gid).i64(t.vtid).i64(t.vpid);
    }

    private void syscall(ThreadState t, Syscall s) throws IOException {
        Ret ret = StraceArgs.ret(s.ret());
        long res = ret.value();
        long tid = t.tid;
        long e = s.ts();
        long x = s.exitTs();
        switch (s.name()) {
            case "open" -> {
                String name = StraceArgs.string(s.arg(0));
                long flags = Flags.open(s.arg(1));
                long mode = StraceArgs.number(s.arg(2), 0);
                pair(new Params().str(name).u32(flags).u32(mode), 2, e,
                        new Params().i64(res).str(name).u32(flags).u32(mode).u32(0), x, tid);
            }
            case "openat" -> {
                long dirfd = fdNum(s.arg(0));
                String name = StraceArgs.string(s.arg(1));
                long flags = Flags.open(s.arg(2));
                long mode = StraceArgs.number(s.arg(3), 0);
                pair(new Params().i64(dirfd).str(name).u32(flags).u32(mode), 306, e,
                        new Params().i64(res).i64(dirfd).str(name).u32(flags).u32(mode).u32(0), x, tid);
            }
            case "openat2" -> {
                long dirfd = fdNum(s.arg(0));
                String name = StraceArgs.string(s.arg(1));
                long flags = Flags.open(StraceArgs.field(s.arg(2), "flags"));
                long mode = StraceArgs.number(StraceArgs.field(s.arg(2), "mode"), 0);
                long resolve = Flags.ppm("openat2_flags", StraceArgs.field(s.arg(2), "resolve"));
                pair(new Params().i64(dirfd).str(name).u32(flags).u32(mode).u32(resolve), 326, e,
                        new Params().i64(res).i64(dirfd).str(name).u32(flags).u32(mode).u32(resolve), x, tid);
            }
            case "creat" -> {
                String name = StraceArgs.string(s.arg(0));
                long mode = StraceArgs.number(s.arg(1), 0);
                pair(new Params().str(name).u32(mode), 58, e, new Params().i64(res).str(name).u32(mode).u32(0), x, tid);
            }
            case "close" -> pair(new Params().i64(fdNum(s.arg(0))), 4, e, new Params().i64(res), x, tid);
            case "read", "write" -> {
                boolean read = s.name().equals("read");
                pair(new Params().i64(fdNum(s.arg(0))).u32(StraceArgs.number(s.arg(2), 0)), read ? 6 : 8, e,
                        new Params().i64(res).buf(data(s.arg(1), res)), x, tid);
            }
            case "pread64", "pwrite64" -> {
                boolean read = s.name().equals("pread64");
                pair(new Params().i64(fdNum(s.arg(0))).u32(StraceArgs.number(s.arg(2), 0))
                                .i64(StraceArgs.number(s.arg(3), 0)), read ? 112 : 114, e,
                        new Params().i64(res).buf(data(s.arg(1), res)), x, tid);
            }
            case "readv" -> pair(new Params().i64(fdNum(s.arg(0))), 116, e,
                    new Params().i64(res).u32(StraceArgs.iovLength(s.arg(1))).buf(iov(s.arg(1), res)), x, tid);
            case "writev" -> pair(new Params().i64(fdNum(s.arg(0))).u32(StraceArgs.iovLength(s.arg(1))), 118, e,
                    new Params().i64(res).buf(iov(s.arg(1), res)), x, tid);
            case "sendto" -> {
                Fd fd = StraceArgs.fd(s.arg(0));
                pair(new Params().i64(fdNum(s.arg(0))).u32(StraceArgs.number(s.arg(2), 0))
                                .buf(outTuple(fd, StraceArgs.sockaddr(s.arg(4)))), 30, e,
                        new Params().i64(res).buf(data(s.arg(1), res)), x, tid);
            }
            case "recvfrom" -> {
                Fd fd = StraceArgs.fd(s.arg(0));
                Params xp = new Params().i64(res).buf(data(s.arg(1), res));
                inTuple(xp, fd, StraceArgs.sockaddr(s.arg(4)));
                pair(new Params().i64(fdNum(s.arg(0))).u32(StraceArgs.number(s.arg(2), 0)), 34, e, xp, x, tid);
            }
            case "sendmsg" -> {
                Fd fd = StraceArgs.fd(s.arg(0));
                String msg = s.arg(1);
                pair(new Params().i64(fdNum(s.arg(0))).u32(StraceArgs.iovLength(msg))
                                .buf(outTuple(fd, StraceArgs.sockaddr(StraceArgs.field(msg, "msg_name")))), 48, e,
                        new Params().i64(res).buf(iov(msg, res)), x, tid);
            }
            case "recvmsg" -> {
                Fd fd = StraceArgs.fd(s.arg(0));
                String msg = s.arg(1);
                Params xp = new Params().i64(res).u32(Math.max(res, 0)).buf(iov(msg, res));
                inTuple(xp, fd, StraceArgs.sockaddr(StraceArgs.field(msg, "msg_name")));
                pair(new Params().i64(fdNum(s.arg(0))), 52, e, xp, x, tid);
            }
            case "socket" -> pair(new Params().u32(Flags.one("socket_families", s.arg(0))).u32(Flags.socketType(s.arg(1)))
                    .u32(Flags.protocol(s.arg(2))), 18, e, new Params().i64(res), x, tid);
            case "bind" -> pair(new Params().i64(fdNum(s.arg(0))), 20, e,
                    new Params().i64(res).sockaddr(StraceArgs.sockaddr(s.arg(1))), x, tid);
            case "connect" -> connect(t, s, res);
            case "listen" -> pair(new Params().i64(fdNum(s.arg(0))).u32(StraceArgs.number(s.arg(1), 0)), 24, e,
                    new Params().i64(res), x, tid);
            case "accept", "accept4" -> {
                boolean four = s.name().equals("accept4");
                Params xp = new Params().i64(res);
                Tuple tu = Tuple.parse(ret.decoration());
                if (tu != null) {
                    xp.tuple(tu.remoteIp(), tu.remotePort(), tu.localIp(), tu.localPort()); // client first
                } else {
                    SockAddr peer = StraceArgs.sockaddr(s.arg(1));
                    if (peer != null && peer.ip() != null) {
                        xp.tuple(peer.ip(), peer.port(), new byte[peer.ip().length], 0);
                    } else {
                        xp.empty();
                    }
                }
                xp.u8(0).u32(0).u32(0);
                pair(four ? new Params().u32(Flags.socketType(s.arg(3))) : new Params(), four ? 248 : 246, e, xp, x, tid);
            }
            case "dup", "dup2", "dup3" -> pair(new Params().i64(fdNum(s.arg(0))), 124, e, new Params().i64(res), x, tid);
            case "pipe", "pipe2" -> {
                long[] fds = pipeFds(s.arg(0));
                pair(new Params(), 60, e, new Params().i64(res).i64(fds[0]).i64(fds[1]).i64(0), x, tid);
            }
            case "unlink" -> pair(new Params(), 300, e, new Params().i64(res).str(StraceArgs.string(s.arg(0))), x, tid);
            case "unlinkat" -> pair(new Params(), 302, e, new Params().i64(res).i64(fdNum(s.arg(0)))
                    .str(StraceArgs.string(s.arg(1))).u32(Flags.ppm("unlinkat_flags", s.arg(2))), x, tid);
            case "rename" -> pair(new Params(), 174, e, new Params().i64(res).str(StraceArgs.string(s.arg(0)))
                    .str(StraceArgs.string(s.arg(1))), x, tid);
            case "renameat", "renameat2" -> {
                boolean two = s.name().equals("renameat2");
                Params xp = new Params().i64(res).i64(fdNum(s.arg(0))).str(StraceArgs.string(s.arg(1)))
                        .i64(fdNum(s.arg(2))).str(StraceArgs.string(s.arg(3)));
                if (two) {
                    xp.u32(Flags.ppm("renameat2_flags", s.arg(4)));
                }
                pair(new Params(), two ? 318 : 176, e, xp, x, tid);
            }
            case "chmod" -> pair(new Params(), 314, e, new Params().i64(res).str(StraceArgs.string(s.arg(0)))
                    .u32(Flags.mode(s.arg(1))), x, tid);
            case "fchmod" -> pair(new Params(), 316, e, new Params().i64(res).i64(fdNum(s.arg(0)))
                    .u32(Flags.mode(s.arg(1))), x, tid);
            case "fchmodat" -> pair(new Params(), 312, e, new Params().i64(res).i64(fdNum(s.arg(0)))
                    .str(StraceArgs.string(s.arg(1))).u32(Flags.mode(s.arg(2))), x, tid);
            case "setuid", "setgid" -> {
                long id = StraceArgs.number(s.arg(0), -1);
                pair(new Params().u32(id), s.name().equals("setuid") ? 198 : 200, e, new Params().i64(res), x, tid);
                if (res == 0) {
                    if (s.name().equals("setuid")) {
                        t.uid = (int) id;
                    } else {
                        t.gid = (int) id;
                    }
                }
            }
            case "setresuid", "setresgid" -> {
                boolean u = s.name().equals("setresuid");
                long eff = StraceArgs.number(s.arg(1), -1);
                pair(new Params().u32(StraceArgs.number(s.arg(0), -1)).u32(eff).u32(StraceArgs.number(s.arg(2), -1)),
                        u ? 192 : 194, e, new Params().i64(res), x, tid);
                if (res == 0 && eff != -1) {
                    if (u) {
                        t.uid = (int) eff;
                    } else {
                        t.gid = (int) eff;
                    }
                }
            }
            case "kill", "tkill" -> pair(new Params().i64(StraceArgs.number(s.arg(0), 0)).u8(Flags.signal(s.arg(1))),
                    s.name().equals("kill") ? 128 : 130, e, new Params().i64(res), x, tid);
            case "tgkill" -> pair(new Params().i64(StraceArgs.number(s.arg(0), 0)).i64(StraceArgs.number(s.arg(1), 0))
                    .u8(Flags.signal(s.arg(2))), 132, e, new Params().i64(res), x, tid);
            case "ptrace" -> {
                byte[] addr = dyn(StraceArgs.number(s.arg(2), 0));
                byte[] data = dyn(StraceArgs.number(s.arg(3), 0));
                pair(new Params().u16((int) Flags.one("ptrace_requests", s.arg(0))).i64(StraceArgs.number(s.arg(1), 0)),
                        168, e, new Params().i64(res).buf(addr).buf(data), x, tid);
            }
            case "mmap" -> pair(new Params().i64(StraceArgs.number(s.arg(0), 0)).i64(StraceArgs.number(s.arg(1), 0))
                            .u32(Flags.ppm("prot_flags", s.arg(2))).u32(Flags.ppm("mmap_flags", s.arg(3)))
                            .i64(fdNum(s.arg(4))).i64(StraceArgs.number(s.arg(5), 0)), 160, e,
                    new Params().i64(res).u32(0).u32(0).u32(0), x, tid);
            case "mprotect" -> pair(new Params().i64(StraceArgs.number(s.arg(0), 0)).i64(StraceArgs.number(s.arg(1), 0))
                    .u32(Flags.ppm("prot_flags", s.arg(2))), 328, e, new Params().i64(res), x, tid);
            case "chdir" -> {
                String path = StraceArgs.string(s.arg(0));
                pair(new Params(), 94, e, new Params().i64(res).str(path), x, tid);
                if (res == 0) {
                    t.cwd = resolve(t.cwd, path);
                }
            }
            case "fchdir" -> {
                Fd fd = StraceArgs.fd(s.arg(0));
                pair(new Params().i64(fd == null ? -1 : fd.fd()), 96, e, new Params().i64(res), x, tid);
                if (res == 0 && fd != null && fd.decoration().startsWith("/")) {
                    t.cwd = fd.decoration();
                }
            }
            case "execve", "execveat" -> exec(t, s, ret);
            case "clone", "clone3", "fork", "vfork" -> clone(t, s, res);
            default -> generic(s, tid);
        }
    }

    /** Calls sysdig 0.29's driver only knew as generic events (chown, setreuid, ...). */
    private void generic(Syscall s, long tid) throws IOException {
        Integer sc = ppmSc.get(s.name());
        Integer nat = Flags.NATIVE.get(s.name());
        if (sc == null || nat == null) {
            return; // not a call that driver reported
        }
        pair(new Params().u16(sc).u16(nat), 0, s.ts(), new Params().u16(sc), s.exitTs(), tid);
    }

    private void pair(Params enter, int type, long e, Params exit, long x, long tid) throws IOException {
        emit(enter.event(e, tid, type));
        emit(exit.event(x, tid, type + 1));
    }

    /** The tuple of data going out: local end first; from the fd's decoration or the destination address. */
    private static byte[] outTuple(Fd fd, SockAddr dst) {
        Params p = new Params();
        Tuple t = fd == null ? null : fd.tuple();
        if (t != null) {
            p.tuple(t.localIp(), t.localPort(), t.remoteIp(), t.remotePort());
        } else if (dst != null && dst.ip() != null) {
            p.tuple(new byte[dst.ip().length], 0, dst.ip(), dst.port());
        } else {
            return new byte[0];
        }
        return p.event(0, 0, 0).bytes(0);
    }

    /** Adds the tuple of data coming in: the sender first. */
    private static void inTuple(Params xp, Fd fd, SockAddr src) {
        Tuple t = fd == null ? null : fd.tuple();
        if (t != null) {
            xp.tuple(t.remoteIp(), t.remotePort(), t.localIp(), t.localPort());
        } else if (src != null && src.ip() != null) {
            xp.tuple(src.ip(), src.port(), new byte[src.ip().length], 0);
        } else {
            xp.empty();
        }
    }

    /**
     * connect: strace decorates the fd as it was on entry, before the kernel chose the
     * local port, so the source comes from /proc/PID/net by the socket's inode, or, if
     * the socket is already gone from there, from the thread's next call on the same fd.
     */
    private void connect(ThreadState t, Syscall s, long res) throws IOException {
        Fd fd = StraceArgs.fd(s.arg(0));
        SockAddr dst = StraceArgs.sockaddr(s.arg(1));
        long fdn = fd == null ? -1 : fd.fd();
        emit(new Params().i64(fdn).sockaddr(dst).event(s.ts(), t.tid, 22));
        if (dst == null || dst.ip() == null) {
            Params xp = new Params().i64(res);
            if (dst != null && dst.path() != null) {
                byte[] path = dst.path().getBytes(StandardCharsets.UTF_8);
                byte[] b = new byte[1 + 16 + path.length + 1];
                b[0] = Params.PPM_AF_UNIX;
                System.arraycopy(path, 0, b, 17, path.length);
                xp.buf(b);
            } else {
                xp.empty();
            }
            emit(xp.event(s.exitTs(), t.tid, 23));
            return;
        }
        FdEntry local = fd == null ? null : proc.socket(t.pid, fd.socketInode());
        if (local != null && local.sip() != null && local.sport() != 0) {
            emit(new Params().i64(res).tuple(local.sip(), local.sport(), dst.ip(), dst.port()).event(s.exitTs(), t.tid, 23));
            return;
        }
        held.put(t.tid, new HeldConnect(s.exitTs(), t.tid, res, fdn, dst));
    }

    private void flushConnect(HeldConnect h, StraceRecord next) throws IOException {
        byte[] sip = new byte[h.dst.ip().length];
        int sport = 0;
        if (next instanceof Syscall s && !s.args().isEmpty()) {
            Fd fd = StraceArgs.fd(s.arg(0));
            Tuple tu = fd == null || fd.fd() != h.fd ? null : fd.tuple();
            if (tu != null) {
                sip = tu.localIp();
                sport = tu.localPort();
            }
        }
        emit(new Params().i64(h.res).tuple(sip, sport, h.dst.ip(), h.dst.port()).event(h.ts, h.tid, 23));
    }

    private void exec(ThreadState t, Syscall s, Ret ret) throws IOException {
        boolean at = s.name().equals("execveat");
        String filename = StraceArgs.string(s.arg(at ? 1 : 0));
        List<byte[]> argv = StraceArgs.stringArray(s.arg(at ? 2 : 1));
        String program = filename; // the path the kernel runs
        String name = null; // the name the kernel gives the process, where it is not program's last component
        String exepath = null;
        if (at) {
            long dirfd = fdNum(s.arg(0));
            long flags = s.args().size() > 4 ? Flags.ppm("execveat_flags", s.arg(4)) : 0;
            emit(new Params().i64(dirfd).str(filename).u32(flags).event(s.ts(), t.tid, 330));
            if (filename.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
                // fexecve: the kernel runs "/dev/fd/N", and the file is the fd's (strace's decoration);
                // Linux 6.14 and later name the process after that file's name, earlier ones "N"
                program = "/dev/fd/" + dirfd;
                Fd fd = StraceArgs.fd(s.arg(0));
                String file = fd != null && fd.decoration().startsWith("/") ? fd.decoration() : null;
                exepath = file != null ? file : program;
                if (file != null && NAMES_FROM_FILE) name = fileName(file);
            }
        } else {
            emit(new Params().str(filename).event(s.ts(), t.tid, 292));
        }
        long res = ret.known() ? ret.value() : 0;
        if (res == 0) {
            t.exe = argv.isEmpty() ? program : new String(argv.get(0), StandardCharsets.UTF_8);
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            for (int i = 1; i < argv.size(); i++) {
                a.write(argv.get(i), 0, argv.get(i).length);
                a.write(0);
            }
            t.args = a.toByteArray();
            String base = name != null ? name : program.substring(program.lastIndexOf('/') + 1);
            t.comm = base.length() > COMM_MAX ? base.substring(0, COMM_MAX) : base;
            t.exepath = exepath != null ? exepath : resolve(t.cwd, program);
            // the kernel reports the new program's own name once it runs; prefer it when /proc still shows this exec
            String comm = ProcScan.read(Path.of("/proc/" + t.pid + "/task/" + t.tid + "/comm"));
            if (comm != null && !comm.isBlank() && t.comm.startsWith(comm.strip())) {
                t.comm = comm.strip();
            }
        }
        byte[] env = ThreadState.cut(t.env);
        Params xp = new Params().i64(res).str(t.exe).buf(ThreadState.cut(t.args)).i64(t.tid).i64(t.pid).i64(t.ptid).str(t.cwd)
                .i64(t.fdlimit).i64(0).i64(0).u32(0).u32(0).u32(0).str(t.comm).buf(ThreadState.cut(t.cgroups)).buf(env)
                .u32(0).i64(t.vpgid).u32(t.loginuid).u32(0);
        emit(xp.event(s.exitTs(), t.tid, at ? 331 : 293));
    }

    private void clone(ThreadState t, Syscall s, long res) throws IOException {
        long flags = switch (s.name()) {
            case "clone" -> Flags.ppm("clone_flags", StraceArgs.field("{" + String.join(", ", s.args()) + "}", "flags"));
            case "clone3" -> Flags.ppm("clone_flags", StraceArgs.field(s.arg(0), "flags"));
            case "vfork" -> Flags.ppm("clone_flags", "CLONE_VM|CLONE_VFORK");
            default -> 0;
        };
        int type = switch (s.name()) {
            case "fork" -> 224;
            case "vfork" -> 226;
            case "clone3" -> 334;
            default -> 222;
        };
        if (res > 0 && t.vpid != t.pid) {
            unmatchedClones.add(new long[] {t.tid, type, res});
        } else if (res > 0 && !threads.containsKey(res)) {
            boolean thread = (flags & (1 << 13)) != 0;
            threads.put(res, t.copyFor(res, thread ? t.pid : res, thread ? t.ptid : t.pid));
        }
        emit(new Params().event(s.ts(), t.tid, type));
        emit(cloneExit(t, res, flags).event(s.exitTs(), t.tid, type + 1));
    }

    /** Data of a read or write, as much as the call moved and at most the snap length. */
    private byte[] data(String arg, long res) {
        if (res <= 0) {
            return new byte[0];
        }
        byte[] b = StraceArgs.bytes(arg);
        int n = (int) Math.min(Math.min(b.length, res), snaplen);
        return n == b.length ? b : Arrays.copyOf(b, n);
    }

    private byte[] iov(String arg, long res) {
        return res <= 0 ? new byte[0] : StraceArgs.iovData(arg, (int) Math.min(res, snaplen));
    }

    /** A PT_DYN value of ptrace: index 0 (a 64-bit number) and the number. */
    private static byte[] dyn(long v) {
        byte[] b = new byte[9];
        for (int i = 0; i < 8; i++) {
            b[1 + i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** PPM_EXVAT_AT_EMPTY_PATH in the driver's execveat_flags. */
    private static final long AT_EMPTY_PATH = 1;

    /**
     * Whether this kernel names a program run from an fd after its file (Linux 6.14, "exec: fix up
     * /proc/pid/comm in the execveat(AT_EMPTY_PATH) case"): the recorder traces processes on the
     * machine it runs on, so its kernel is theirs.
     */
    private static final boolean NAMES_FROM_FILE = kernelAtLeast(System.getProperty("os.version", ""), 6, 14);

    static boolean kernelAtLeast(String release, int major, int minor) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        if (!m.find()) return false;
        int ma = Integer.parseInt(m.group(1)), mi = Integer.parseInt(m.group(2));
        return ma > major || ma == major && mi >= minor;
    }

    /** The last component of a path as strace decorates it, without its " (deleted)" mark (a memfd's "memfd:NAME"). */
    static String fileName(String decoration) {
        String p = decoration.endsWith(" (deleted)") ? decoration.substring(0, decoration.length() - 10) : decoration;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static long fdNum(String arg) {
        Fd fd = StraceArgs.fd(arg);
        return fd == null ? -1 : fd.fd();
    }

    /** pipe's {@code [3<pipe:[1]>, 4<pipe:[1]>]}. */
    private static long[] pipeFds(String arg) {
        String a = arg.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            List<String> parts = StraceArgs.split(a.substring(1, a.length() - 1));
            if (parts.size() == 2) {
                return new long[] {fdNum(parts.get(0)), fdNum(parts.get(1))};
            }
        }
        return new long[] {-1, -1};
    }

    private static String resolve(String cwd, String path) {
        if (path.startsWith("/")) {
            return Path.of(path).normalize().toString();
        }
        return Path.of(cwd).resolve(path).normalize().toString();
    }
}
