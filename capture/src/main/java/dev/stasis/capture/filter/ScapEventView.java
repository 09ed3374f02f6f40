package dev.stasis.capture.filter;

import dev.stasis.capture.scap.EventInfo;
import dev.stasis.capture.scap.GroupEntry;
import dev.stasis.capture.scap.InterfaceEntry;
import dev.stasis.capture.scap.ParamInfo;
import dev.stasis.capture.scap.UserEntry;
import dev.stasis.capture.state.CaptureState;
import dev.stasis.capture.state.ContainerInfo;
import dev.stasis.capture.state.Event;
import dev.stasis.capture.state.FdInfo;
import dev.stasis.capture.state.ThreadInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * The filter's view of a capture reader's {@link Event}. Like the event's own
 * thread and fd, it is only valid until the reader moves on: evaluate filters
 * and format output before asking for the next event.
 */
public final class ScapEventView implements EventView {
    private static final int FD_RELATED = EventInfo.CREATES_FD | EventInfo.USES_FD | EventInfo.DESTROYS_FD;

    private final Event event;
    // The reader refills one Event per event, so one view serves a whole capture; the
    // thread and fd views are kept while the event points at the same state objects.
    private ThreadInfo threadOf;
    private Thread threadView;
    private FdInfo fdOf;
    private Fd fdView;

    private ScapEventView(Event event) {
        this.event = event;
    }

    /**
     * A view of the reader's event. The reader reuses its Event object, so a caller
     * may keep the view for as long as {@code view.event() == event}.
     */
    public static ScapEventView of(Event event) {
        return new ScapEventView(event);
    }

    /**
     * {@code previous} if it already wraps {@code event}, else a new view: the reader
     * refills one Event, so a loop needs one view per reader, not one per event.
     */
    public static ScapEventView of(ScapEventView previous, Event event) {
        return previous != null && previous.event == event ? previous : new ScapEventView(event);
    }

    public Event event() {
        return event;
    }

    @Override
    public int typeId() {
        int t = event.type();
        // generic events (0 and 1) are named after the syscall they carry
        return t == 0 || t == 1 ? -1 : t;
    }

    @Override
    public int rawTypeId() {
        return event.type();
    }

    @Override
    public int genericSyscall() {
        int t = event.type();
        if ((t != 0 && t != 1) || event.paramCount() == 0) return -1;
        long code = event.raw().integer(0, false);
        return code >= 0 && code <= Integer.MAX_VALUE ? (int) code : -1;
    }

    @Override
    public Long latency() {
        return event.isInternal() ? null : event.latency();
    }

    @Override
    public boolean fdNameChanged() {
        return event.fdNameChanged();
    }

    @Override
    public boolean fdRelated() {
        return (event.info().bits() & FD_RELATED) != 0;
    }

    @Override
    public long num() {
        return event.num();
    }

    @Override
    public long ts() {
        return event.ts();
    }

    @Override
    public int cpu() {
        return event.cpu();
    }

    @Override
    public long tid() {
        return event.tid();
    }

    @Override
    public String type() {
        return event.name();
    }

    @Override
    public boolean isEnter() {
        return event.isEnter();
    }

    @Override
    public boolean hasFlag(String cName) {
        return event.info().hasFlag(cName) || event.info().inCategory(cName);
    }

    @Override
    public long firstEventTs() {
        return event.state().firstEventTs();
    }

    @Override
    public String hostname() {
        CaptureState s = event.state();
        return s.machine() == null ? null : s.machine().hostname();
    }

    @Override
    public Long returnValue() {
        // sysdig 0.29 (the reference): the "res" parameter, or the "fd" a creating call returned.
        return event.res();
    }

    @Override
    public Long lastEventFd() {
        ThreadInfo t = event.thread();
        return t == null ? null : t.lastEventFd();
    }

    @Override
    public boolean isLocalAddress(InetAddress address) {
        ThreadInfo t = event.thread();
        byte[] a = address.getAddress();
        if (t != null && t.inContainer()) {
            // libsinsp (ifinfo.cpp): no IPv6 for containers; IPv4 is the container's IP, or with none
            // known any container's (an unknown IP is 0, so 0.0.0.0 then counts), then the host's
            if (a.length != 4) return false;
            if (event.state().containerAddressIsLocal(t.containerId(), a)) return true;
        }
        for (InterfaceEntry i : event.state().interfaces()) {
            byte[] b = i.addr();
            if (b == null) continue;
            if (a.length == 4 && !i.isIpv6() && b.length >= 4 && java.util.Arrays.equals(a, 0, 4, b, 0, 4)) return true;
            // IPv6: libsinsp compares the network part (the first 64 bits).
            if (a.length == 16 && i.isIpv6() && b.length >= 8 && java.util.Arrays.equals(a, 0, 8, b, 0, 8)) return true;
        }
        return false;
    }

    @Override
    public int paramCount() {
        return event.paramCount();
    }

    @Override
    public String paramName(int i) {
        return event.paramName(i);
    }

    @Override
    public Object paramRaw(int i) {
        ParamInfo p = event.paramInfo(i);
        var raw = event.raw();
        if (p == null) return raw.bytes(i);
        int len = raw.paramLength(i);
        return switch (p.type()) {
            case INT8, INT16, INT32, INT64, ERRNO, FD, PID, FD32, PID32 -> len == 0 ? null : raw.integer(i, true);
            case UINT8, UINT16, UINT32, UINT64, FLAGS8, FLAGS16, FLAGS32, ENUMFLAGS8, ENUMFLAGS16, ENUMFLAGS32, UID,
                    GID, MODE, PORT, SYSCALLID, SIGTYPE, RELTIME, ABSTIME, L4PROTO, SOCKFAMILY, BOOL, SIGSET ->
                    len == 0 ? null : raw.integer(i, false);
            case CHARBUF, FSPATH, FSRELPATH -> raw.string(i);
            default -> raw.bytes(i);
        };
    }

    @Override
    public String paramText(int i) {
        return event.paramValue(i);
    }

    @Override
    public String paramArg(int i) {
        return event.param(event.paramName(i));
    }

    @Override
    public String args() {
        return event.args();
    }

    @Override
    public ThreadView thread() {
        ThreadInfo t = event.thread();
        if (t == null) return null;
        if (t != threadOf) {
            threadOf = t;
            threadView = new Thread(t, event.state());
        }
        return threadView;
    }

    @Override
    public FdView fd() {
        FdInfo f = event.fd();
        if (f == null) {
            // libsinsp's extract_fd: an fd-related event without an fd of its own (an exit
            // whose enter was not seen, say) falls back on the thread's last enter fd
            ThreadInfo t = event.thread();
            if (t != null && t.lastEventFd() != -1 && fdRelated()) {
                f = t.fd(t.lastEventFd());
            }
        }
        if (f == null) return null;
        if (f != fdOf) {
            fdOf = f;
            fdView = new Fd(f);
        }
        return fdView;
    }

    private record Thread(ThreadInfo t, CaptureState state) implements ThreadView {
        @Override
        public String fdName(long fd) {
            FdInfo f = t.fd(fd);
            return f == null ? null : f.name();
        }

        @Override
        public long fdOpenCount() {
            return t.fdOpenCount();
        }

        @Override
        public List<String> cgroups() {
            return t.cgroups();
        }

        @Override
        public long tid() {
            return t.tid();
        }

        @Override
        public long pid() {
            return t.pid();
        }

        @Override
        public long ptid() {
            return t.ptid();
        }

        @Override
        public long vtid() {
            return t.vtid();
        }

        @Override
        public long vpid() {
            return t.vpid();
        }

        @Override
        public long sid() {
            return t.sid();
        }

        @Override
        public long vpgid() {
            return t.vpgid();
        }

        @Override
        public String comm() {
            return t.comm();
        }

        @Override
        public String exe() {
            return t.exe();
        }

        @Override
        public String exepath() {
            return t.exepath();
        }

        @Override
        public List<String> args() {
            return t.args();
        }

        @Override
        public String cwd() {
            return t.cwd();
        }

        @Override
        public List<String> env() {
            return t.env();
        }

        @Override
        public long uid() {
            return t.uid() & 0xFFFFFFFFL;
        }

        @Override
        public long gid() {
            return t.gid() & 0xFFFFFFFFL;
        }

        @Override
        public long loginUid() {
            return t.loginuid();
        }

        @Override
        public long tty() {
            return t.tty();
        }

        @Override
        public long capEffective() {
            return t.capEffective();
        }

        @Override
        public long capPermitted() {
            return t.capPermitted();
        }

        @Override
        public long capInheritable() {
            return t.capInheritable();
        }

        @Override
        public String userName() {
            UserEntry u = state.user(t.uid());
            return u == null ? null : u.name();
        }

        @Override
        public String userHome() {
            UserEntry u = state.user(t.uid());
            return u == null ? null : u.homedir();
        }

        @Override
        public String userShell() {
            UserEntry u = state.user(t.uid());
            return u == null ? null : u.shell();
        }

        @Override
        public String loginUserName() {
            UserEntry u = state.user(t.loginuid());
            return u == null ? null : u.name();
        }

        @Override
        public String groupName() {
            GroupEntry g = state.group(t.gid());
            return g == null ? null : g.name();
        }

        @Override
        public String sessionLeaderName() {
            return t.sessionLeader().comm();
        }

        @Override
        public ThreadView parent() {
            ThreadInfo p = t.parent();
            return p == null || p == t ? null : new Thread(p, state);
        }

        @Override
        public ThreadView mainThread() {
            ThreadInfo m = t.mainThread();
            return m == t ? this : new Thread(m, state);
        }

        @Override
        public String containerId() {
            return t.inContainer() ? t.containerId() : "host";
        }

        @Override
        public ContainerView container() {
            if (!t.inContainer()) return null;
            ContainerInfo c = state.container(t.containerId());
            return c == null ? null : new Container(c);
        }

        @Override
        public long startTs() {
            return t.cloneTs();
        }

        @Override
        public Boolean exeWritable() {
            return t.exeWritable();
        }
    }

    private record Container(ContainerInfo c) implements ContainerView {
        @Override
        public String id() {
            return c.id();
        }

        @Override
        public java.util.List<dev.stasis.capture.state.ContainerMount> mounts() {
            return c.mounts();
        }

        @Override
        public String name() {
            return c.name();
        }

        @Override
        public String image() {
            return c.image();
        }

        @Override
        public String imageRepository() {
            return c.imageRepo();
        }

        @Override
        public String imageTag() {
            return c.imageTag();
        }

        @Override
        public String imageId() {
            return c.imageId();
        }

        @Override
        public String type() {
            return c.type();
        }

        @Override
        public boolean privileged() {
            return c.privileged();
        }

        @Override
        public Map<String, String> labels() {
            return c.labels();
        }
    }

    private record Fd(FdInfo f) implements FdView {
        @Override
        public long num() {
            return f.fd();
        }

        @Override
        public char typeChar() {
            return f.typeChar();
        }

        @Override
        public String typeName() {
            return f.typeName();
        }

        @Override
        public String name() {
            return f.name();
        }

        @Override
        public String l4proto() {
            // sysdig: any fd has an l4proto, "<NA>" when it is not (yet) a known IP protocol.
            return f.l4protoName();
        }

        @Override
        public InetAddress clientIp() {
            if (!f.isIp() || f.isServerSocket()) return null;
            return address(f.sourceIp());
        }

        @Override
        public InetAddress serverIp() {
            if (!f.isIp()) return null;
            return address(f.isServerSocket() ? f.sourceIp() : f.destIp());
        }

        @Override
        public int clientPort() {
            return f.sourcePort();
        }

        @Override
        public int serverPort() {
            return f.isServerSocket() ? f.sourcePort() : f.destPort();
        }

        @Override
        public boolean serverSocket() {
            return f.isServerSocket();
        }

        @Override
        public boolean socketConnected() {
            return f.isConnected();
        }

        @Override
        public boolean roleServer() {
            return f.role() == FdInfo.Role.SERVER;
        }

        @Override
        public boolean roleClient() {
            return f.role() == FdInfo.Role.CLIENT;
        }

        @Override
        public long ino() {
            return f.ino();
        }

        private static InetAddress address(byte[] b) {
            if (b == null || (b.length != 4 && b.length != 16)) return null;
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
