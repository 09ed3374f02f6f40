package dev.stasis.capture.state;

import dev.stasis.capture.scap.EventInfo;
import dev.stasis.capture.scap.FdEntry;
import dev.stasis.capture.scap.FdKind;
import dev.stasis.capture.scap.ProcessEntry;
import dev.stasis.capture.scap.RawEvent;
import dev.stasis.capture.scap.ScapReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a {@link CaptureState} up to date event by event, following libsinsp's
 * parser: threads from clone/fork/execve/procexit, fds from open/socket/connect/
 * accept/bind/pipe/dup/close and friends, cwd, credentials and containers.
 * Enter and exit events are paired per thread as sysdig does, which is how old
 * captures (parameters split between the two) resolve the same as new ones.
 */
public final class StateEngine {
    private static final int O_DIRECTORY = 1 << 10;
    private static final int CL_CLONE_THREAD = 1 << 13; // PPM_CL_CLONE_THREAD
    private static final int CL_CHILD_IN_PIDNS = 1 << 29; // PPM_CL_CHILD_IN_PIDNS
    private static final int CL_CLONE_INVERTED = 1 << 16; // PPM_CL_CLONE_INVERTED
    private static final long CLONE_STALE_NS = 100_000_000L;

    private final CaptureState state = new CaptureState();

    public CaptureState state() {
        return state;
    }

    /** Loads the metadata the reader found before the first event. */
    public void load(ScapReader r) {
        state.setMachine(r.machine());
        state.setUsers(r.users(), r.groups());
        state.setInterfaces(r.interfaces());
        for (ProcessEntry p : r.processes()) {
            addProcess(p);
        }
        java.util.Set<Integer> serverPorts = new java.util.HashSet<>();
        for (FdEntry f : r.fds()) {
            ThreadInfo t = state.thread(f.tid());
            if (t != null) {
                FdInfo fi = fromEntry(f);
                t.fds.put(f.fd(), fi);
                if (fi.isServerSocket()) {
                    serverPorts.add(fi.sport);
                }
            }
        }
        // sysdig's fix_sockets_coming_from_proc: a connection on a port some process
        // listens on is the server side; swap it so that the client comes first
        for (ThreadInfo t : state.threads()) {
            for (FdInfo fi : t.fds.values()) {
                if (fi.kind == FdKind.IPV4_SOCK) {
                    if (serverPorts.contains(fi.sport)) {
                        swap(fi);
                        fi.name = fi.socketName();
                        fi.role = FdInfo.Role.SERVER;
                    } else {
                        fi.role = FdInfo.Role.CLIENT;
                    }
                }
            }
        }
    }

    private void addProcess(ProcessEntry p) {
        ThreadInfo t = new ThreadInfo(state, p.tid());
        t.pid = p.pid();
        t.ptid = p.ptid();
        t.sid = p.sid();
        t.vpgid = p.vpgid();
        t.comm = p.comm();
        t.exe = p.exe();
        t.exepath = p.exepath();
        t.args = split(p.args(), p.args().length);
        t.env = split(p.env(), p.env().length);
        t.cgroups = split(p.cgroups(), p.cgroups().length);
        // libsinsp's set_cwd: a directory always ends in '/' (sysdig prints /home/user/)
        t.cwd = p.cwd().endsWith("/") ? p.cwd() : p.cwd() + "/";
        t.root = p.root();
        t.fdlimit = p.fdlimit();
        t.flags = p.flags();
        t.uid = p.uid();
        t.gid = p.gid();
        t.loginuid = p.loginuid();
        t.exeWritable = p.exeWritable();
        t.tty = p.tty();
        t.capInheritable = p.capInheritable();
        t.capPermitted = p.capPermitted();
        t.capEffective = p.capEffective();
        t.vtid = p.vtid();
        t.vpid = p.vpid();
        t.vmsizeKb = p.vmsizeKb();
        t.vmrssKb = p.vmrssKb();
        t.vmswapKb = p.vmswapKb();
        t.pfMajor = p.pfMajor();
        t.pfMinor = p.pfMinor();
        resolveContainer(t);
        state.add(t);
    }

    static FdInfo fromEntry(FdEntry f) {
        FdKind kind = f.kind() == FdKind.FILE_V2 ? FdKind.FILE_V2 : f.kind();
        FdInfo fi = new FdInfo(f.fd(), kind);
        fi.ino = f.ino();
        fi.openFlags = f.openFlags();
        fi.dev = f.dev();
        fi.sip = f.sip();
        fi.dip = f.dip();
        fi.sport = f.sport();
        fi.dport = f.dport();
        fi.l4proto = f.l4proto();
        fi.unixSource = f.unixSource();
        fi.unixDest = f.unixDest();
        if (fi.kind == FdKind.IPV6_SOCK && Net.isIpv4Mapped(fi.sip, 0) && Net.isIpv4Mapped(fi.dip, 0)) {
            fi.kind = FdKind.IPV4_SOCK;
            fi.sip = java.util.Arrays.copyOfRange(fi.sip, 12, 16);
            fi.dip = java.util.Arrays.copyOfRange(fi.dip, 12, 16);
        }
        if (fi.isIp()) {
            fi.name = fi.socketName();
        } else if (fi.kind == FdKind.UNIX_SOCK) {
            fi.name = f.name();
            fi.role = fi.name.isEmpty() ? FdInfo.Role.CLIENT : FdInfo.Role.SERVER;
        } else {
            fi.name = f.name();
        }
        return fi;
    }

    /** sinsp's set_args: NUL-separated strings, a trailing NUL does not add an empty one. */
    static List<String> split(byte[] b, int len) {
        List<String> out = new ArrayList<>();
        int off = 0;
        while (off < len) {
            int end = off;
            while (end < len && b[end] != 0) {
                end++;
            }
            out.add(new String(b, off, end - off, StandardCharsets.UTF_8));
            off = end + 1;
        }
        return List.copyOf(out);
    }

    private void resolveContainer(ThreadInfo t) {
        t.containerId = ContainerIds.fromCgroups(t.cgroups);
        if (!t.containerId.isEmpty() && state.container(t.containerId) == null) {
            state.putContainer(new ContainerInfo(t.containerId, ContainerIds.type(t.cgroups), "", "", "", "", "",
                    false, Map.of()));
        }
    }

    // What apply() does with each event type, worked out once from the names so that
    // the per-event dispatch is an array load and an int switch, not string compares.
    private static final byte K_NORMAL = 0, K_CONTAINER = 1, K_SKIP = 2, K_PROCINFO = 3, K_CLONE_EXIT = 4, K_SWITCH = 5;
    private static final byte[] KIND;
    private static final byte[] ACTION;
    private static final boolean[] COPY_FILE_RANGE;
    /**
     * Enter types whose exit parser reads the enter's parameters (open's name, socket's
     * domain, execve's filename, sendto's tuple...): only these are copied per thread;
     * for the others the exit is paired by type alone.
     */
    private static final boolean[] NEEDS_ENTER;
    private static final byte A_NONE = 0, A_CONNECT_E = 1, A_SENDTO_E = 2, A_PROCEXIT_E = 3, A_OPEN = 4, A_SOCKET = 5,
            A_BIND = 6, A_CONNECT = 7, A_ACCEPT = 8, A_CLOSE = 9, A_PIPE = 10, A_SOCKETPAIR = 11, A_EVENTFD = 12,
            A_SIGNALFD = 13, A_TIMERFD = 14, A_INOTIFY = 15, A_EPOLL = 16, A_DUP = 17, A_FCNTL = 18, A_CHDIR = 19,
            A_FCHDIR = 20, A_CLONE = 21, A_EXECVE = 22, A_SETUID = 23, A_SETGID = 24, A_SETRESUID = 25,
            A_SETRESGID = 26, A_CAPSET = 27, A_SETSID = 28, A_RW = 29;

    static {
        dev.stasis.capture.scap.EventTable table = dev.stasis.capture.scap.EventTable.get();
        KIND = new byte[table.size()];
        ACTION = new byte[table.size()];
        COPY_FILE_RANGE = new boolean[table.size()];
        NEEDS_ENTER = new boolean[table.size()];
        for (int type = 0; type < table.size(); type++) {
            EventInfo info = table.info(type);
            if (info == null) {
                continue;
            }
            String name = info.name();
            boolean enter = info.isEnter();
            COPY_FILE_RANGE[type] = name.equals("copy_file_range");
            KIND[type] = name.equals("container") ? K_CONTAINER
                    : info.is(EventInfo.SKIP_PARSE_RESET) ? (name.equals("procinfo") ? K_PROCINFO : K_SKIP)
                    : !enter && isCloneName(name) ? K_CLONE_EXIT
                    : name.equals("switch") ? K_SWITCH : K_NORMAL;
            ACTION[type] = enter ? switch (name) {
                case "connect" -> A_CONNECT_E;
                case "sendto" -> A_SENDTO_E;
                case "procexit" -> A_PROCEXIT_E;
                default -> A_NONE;
            } : switch (name) {
                case "open", "creat", "openat", "openat2" -> A_OPEN;
                case "socket" -> A_SOCKET;
                case "bind" -> A_BIND;
                case "connect" -> A_CONNECT;
                case "accept", "accept4" -> A_ACCEPT;
                case "close" -> A_CLOSE;
                case "pipe", "pipe2" -> A_PIPE;
                case "socketpair" -> A_SOCKETPAIR;
                case "eventfd", "eventfd2" -> A_EVENTFD;
                case "signalfd", "signalfd4" -> A_SIGNALFD;
                case "timerfd_create" -> A_TIMERFD;
                case "inotify_init", "inotify_init1" -> A_INOTIFY;
                case "epoll_create", "epoll_create1" -> A_EPOLL;
                case "dup", "dup2", "dup3" -> A_DUP;
                case "fcntl" -> A_FCNTL;
                case "chdir" -> A_CHDIR;
                case "fchdir" -> A_FCHDIR;
                case "clone", "fork", "vfork", "clone3" -> A_CLONE;
                case "execve", "execveat" -> A_EXECVE;
                case "setuid" -> A_SETUID;
                case "setgid" -> A_SETGID;
                case "setresuid" -> A_SETRESUID;
                case "setresgid" -> A_SETRESGID;
                case "capset" -> A_CAPSET;
                case "setsid" -> A_SETSID;
                case "read", "write", "recv", "send", "recvfrom", "recvmsg", "sendto", "sendmsg", "readv", "writev",
                        "pread", "pwrite", "preadv", "pwritev" -> A_RW;
                default -> A_NONE;
            };
        }
        for (int type = 0; type + 1 < table.size(); type += 2) {
            EventInfo exit = table.info(type + 1);
            if (table.info(type) == null || exit == null) {
                continue;
            }
            NEEDS_ENTER[type] = switch (ACTION[type + 1]) {
                case A_OPEN, A_SOCKET, A_FCNTL, A_EXECVE, A_SETUID, A_SETGID, A_SETRESUID, A_SETRESGID -> true;
                case A_RW -> exit.name().equals("sendto") || exit.name().equals("sendmsg");
                default -> false;
            };
        }
    }

    /** The one Event this engine hands out, refilled for every event. */
    private final Event view = new Event(state);
    /** The per-event context of the parsers, likewise reused. */
    private final Ctx ctx = new Ctx();

    /**
     * Applies one event and returns the view of it: one object, refilled by the next
     * call. The event may be a reader's shared event: an enter event a thread must
     * remember (to pair it with its exit) is copied into that thread's own holder.
     */
    public Event apply(RawEvent e) {
        if (state.removalsPending()) {
            state.flushRemovals();
        }
        EventInfo info = e.info();
        int type = e.type();
        boolean internal = info.is(EventInfo.INTERNAL);
        byte kind = type < KIND.length ? KIND[type] : K_NORMAL;
        if (kind == K_CONTAINER) {
            if (info.isEnter()) {
                parseContainerJson(e);
            }
            return view.set(e, info, null, null, null, internal, false);
        }
        if (kind == K_SKIP || kind == K_PROCINFO) {
            ThreadInfo t = kind == K_PROCINFO ? state.thread(e.tid()) : null;
            return view.set(e, info, t, null, null, internal, false);
        }
        boolean isClone = kind == K_CLONE_EXIT;
        boolean isSwitch = kind == K_SWITCH;
        ThreadInfo t = (isClone || isSwitch) ? state.thread(e.tid()) : state.getOrCreate(e.tid());
        FdInfo fd = null;
        RawEvent enter = null;
        if (t != null && !isSwitch) {
            if (info.isEnter()) {
                // libsinsp's event latency: an exit's time since its thread's last enter
                t.latency = 0;
                t.latencyEnterTs = e.ts();
                t.lastEventType = type;
                t.lastEventFd = -1;
                t.lastEnter = NEEDS_ENTER[type] ? t.enterHolder().copyFrom(e) : null;
                t.lastEnterValid = true;
                if (info.is(EventInfo.USES_FD) && e.nparams() > 0) {
                    t.lastEventFd = e.integer(0, true);
                    fd = t.lookupFd(t.lastEventFd);
                }
            } else {
                if (t.latencyEnterTs != 0) {
                    t.latency = e.ts() - t.latencyEnterTs;
                }
                boolean matched = type == t.lastEventType + 1;
                if (matched && t.lastEnter != null && t.lastEnter.type() == type - 1) {
                    enter = t.lastEnter;
                }
                if (matched && info.is(EventInfo.USES_FD)) {
                    if (COPY_FILE_RANGE[type] && e.nparams() > 1) {
                        t.lastEventFd = e.integer(1, true);
                    }
                    fd = t.lookupFd(t.lastEventFd);
                }
            }
        }
        Ctx c = ctx.reset(e, info, t, fd, enter);
        if (t != null || isClone) {
            parse(c, type);
        }
        if (t != null && !info.isEnter()) {
            t.lastEnter = null;
            t.lastEnterValid = false;
        }
        ThreadInfo shown = t != null ? t : (isClone ? state.thread(e.tid()) : null);
        FdInfo shownFd = c.fd;
        c.reset(null, null, null, null, null);
        // libsinsp: the fd's name differs from what it was when this event looked the fd up
        // (a new fd counts from ""): open exits, connects and sends that set a tuple
        boolean nameChanged = shownFd != null && !shownFd.name.equals(shownFd.oldName);
        return view.set(e, info, shown, shownFd, enter, internal, nameChanged);
    }

    private static boolean isCloneName(String n) {
        return n.equals("clone") || n.equals("fork") || n.equals("vfork") || n.equals("clone3");
    }

    /** Mutable per-event context for the parsers. */
    private static final class Ctx {
        RawEvent e;
        EventInfo info;
        ThreadInfo t;
        FdInfo fd;
        RawEvent enter;

        Ctx reset(RawEvent e, EventInfo info, ThreadInfo t, FdInfo fd, RawEvent enter) {
            this.e = e;
            this.info = info;
            this.t = t;
            this.fd = fd;
            this.enter = enter;
            return this;
        }

        int idx(String p) {
            int i = info.paramIndex(p);
            return i < e.nparams() ? i : -1;
        }

        boolean has(String p) {
            return idx(p) >= 0;
        }

        long num(String p, long dflt) {
            int i = idx(p);
            return i < 0 || e.paramLength(i) == 0 ? dflt : e.integer(i, true);
        }

        String str(String p) {
            int i = idx(p);
            return i < 0 ? null : e.string(i);
        }

        byte[] bytes(String p) {
            int i = idx(p);
            return i < 0 ? null : e.bytes(i);
        }

        /** A parameter of the paired enter event. */
        RawEvent enterOr() {
            return enter;
        }
    }

    private static int enterIdx(RawEvent en, String p) {
        EventInfo ei = en.info();
        int i = ei.paramIndex(p);
        return i < en.nparams() ? i : -1;
    }

    private void parse(Ctx c, int type) {
        switch (ACTION[type]) {
            case A_NONE -> { }
            case A_CONNECT_E -> connectEnter(c);
            case A_SENDTO_E -> {
                if (c.fd == null && c.t != null) {
                    inferSendto(c);
                }
            }
            case A_PROCEXIT_E -> state.tidToRemove = c.e.tid();
            case A_OPEN -> openExit(c, c.info.name());
            case A_SOCKET -> socketExit(c);
            case A_BIND -> bindExit(c);
            case A_CONNECT -> connectExit(c);
            case A_ACCEPT -> acceptExit(c);
            case A_CLOSE -> closeExit(c);
            case A_PIPE -> pipeExit(c);
            case A_SOCKETPAIR -> socketpairExit(c);
            case A_EVENTFD -> simpleFd(c, FdKind.EVENT);
            case A_SIGNALFD -> simpleFd(c, FdKind.SIGNALFD);
            case A_TIMERFD -> simpleFd(c, FdKind.TIMERFD);
            case A_INOTIFY -> simpleFd(c, FdKind.INOTIFY);
            case A_EPOLL -> simpleFd(c, FdKind.EVENTPOLL);
            case A_DUP -> dupExit(c);
            case A_FCNTL -> fcntlExit(c);
            case A_CHDIR -> chdirExit(c);
            case A_FCHDIR -> fchdirExit(c);
            case A_CLONE -> cloneExit(c);
            case A_EXECVE -> execveExit(c);
            case A_SETUID -> { if (c.num("res", -1) >= 0 && c.enter != null) setFromEnter(c, "uid", true); }
            case A_SETGID -> { if (c.num("res", -1) >= 0 && c.enter != null) setFromEnter(c, "gid", false); }
            case A_SETRESUID -> { if (c.num("res", -1) >= 0 && c.enter != null) setFromEnter(c, "euid", true); }
            case A_SETRESGID -> { if (c.num("res", -1) >= 0 && c.enter != null) setFromEnter(c, "egid", false); }
            case A_CAPSET -> capsetExit(c);
            case A_SETSID -> { long r = c.num("res", -1); if (r >= 0 && c.t != null) c.t.sid = r; }
            case A_RW -> rwExit(c, c.info.name());
            default -> { }
        }
    }

    private void setFromEnter(Ctx c, String param, boolean uid) {
        int i = enterIdx(c.enter, param);
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

    private void openExit(Ctx c, String name) {
        if (c.t == null) {
            return;
        }
        long fd = c.num("fd", -1);
        String path = null;
        long flags = 0;
        long dirfd = -100;
        boolean at = name.startsWith("openat");
        if (c.enter != null) {
            int ni = enterIdx(c.enter, "name");
            if (ni >= 0) {
                String en = c.enter.string(ni);
                if (c.enter.paramLength(ni) != 0 && !en.equals("(NULL)")) {
                    path = en;
                    int fi = enterIdx(c.enter, "flags");
                    flags = fi >= 0 ? c.enter.integer(fi, false) : 0;
                    int di = enterIdx(c.enter, "dirfd");
                    if (di >= 0) {
                        dirfd = c.enter.integer(di, true);
                    }
                }
            }
        }
        if (path == null) {
            path = c.str("name");
            flags = c.num("flags", 0);
            dirfd = c.num("dirfd", -100);
        }
        if (path == null) {
            return;
        }
        String sdir;
        if (!at) {
            sdir = c.t.cwd();
        } else {
            sdir = dirfdBase(c, path, dirfd);
        }
        String full = Paths.concatenate(sdir, path);
        if (fd >= 0) {
            FdInfo fi = new FdInfo(fd, (flags & O_DIRECTORY) != 0 ? FdKind.DIRECTORY : FdKind.FILE_V2);
            fi.openFlags = (int) flags;
            fi.dev = (int) c.num("dev", 0);
            fi.ino = c.num("ino", 0);
            fi.name = full;
            c.t.fdTable().put(fd, fi);
            c.fd = fi;
        }
    }

    /** sinsp's parse_dirfd. */
    private String dirfdBase(Ctx c, String name, long dirfd) {
        if (!name.isEmpty() && name.charAt(0) == '/') {
            return ".";
        }
        if (dirfd == -100) {
            return c.t.cwd();
        }
        FdInfo d = c.t.lookupFd(dirfd);
        c.fd = d;
        if (d == null) {
            return "<UNKNOWN>";
        }
        return d.name.endsWith("/") ? d.name : d.name + "/";
    }

    private void socketExit(Ctx c) {
        long fd = c.num("fd", -1);
        if (fd < 0 || c.t == null || c.enter == null) {
            return;
        }
        int di = enterIdx(c.enter, "domain"), ti = enterIdx(c.enter, "type"), pi = enterIdx(c.enter, "proto");
        if (di < 0 || ti < 0 || pi < 0) {
            return;
        }
        addSocket(c, fd, (int) c.enter.integer(di, false), (int) c.enter.integer(ti, false),
                (int) c.enter.integer(pi, false));
    }

    private void addSocket(Ctx c, long fd, int domain, int type, int proto) {
        FdKind kind;
        int l4 = FdInfo.L4_UNKNOWN;
        if (domain == 1) {
            kind = FdKind.UNIX_SOCK;
        } else if (domain == 2 || domain == 10) {
            kind = domain == 2 ? FdKind.IPV4_SOCK : FdKind.IPV6_SOCK;
            final int sockRaw = 3, sockStream = 1, sockDgram = 2;
            if (proto == 6) {
                l4 = type == sockRaw ? FdInfo.L4_RAW : FdInfo.L4_TCP;
            } else if (proto == 17) {
                l4 = type == sockRaw ? FdInfo.L4_RAW : FdInfo.L4_UDP;
            } else if (proto == 0) {
                if ((type & 0xff) == sockStream) {
                    l4 = FdInfo.L4_TCP;
                } else if ((type & 0xff) == sockDgram) {
                    l4 = FdInfo.L4_UDP;
                }
            } else if (proto == 1) {
                l4 = type == sockRaw ? FdInfo.L4_RAW : FdInfo.L4_ICMP;
            } else if (proto == 255) {
                l4 = FdInfo.L4_RAW;
            }
        } else if (domain == 16) {
            kind = FdKind.NETLINK;
        } else {
            return;
        }
        FdInfo fi = new FdInfo(fd, kind);
        fi.l4proto = l4;
        fi.sip = new byte[kind == FdKind.IPV6_SOCK ? 16 : 4];
        fi.dip = new byte[kind == FdKind.IPV6_SOCK ? 16 : 4];
        c.t.fdTable().put(fd, fi);
        c.fd = fi;
    }

    private void inferSendto(Ctx c) {
        long fd = c.num("fd", -1);
        byte[] tuple = c.bytes("tuple");
        if (fd < 0 || tuple == null || tuple.length == 0) {
            return;
        }
        if (tuple[0] == 2 || tuple[0] == 10) {
            addSocket(c, fd, tuple[0], 2, 17);
        }
    }

    private void bindExit(Ctx c) {
        if (c.fd == null || c.num("res", -1) < 0) {
            return;
        }
        byte[] a = c.bytes("addr");
        if (a == null || a.length == 0) {
            return;
        }
        FdInfo fi = c.fd;
        if (a[0] == 2 && a.length >= 7) {
            int port = (a[5] & 0xFF) | (a[6] & 0xFF) << 8;
            if (port > 0) {
                fi.kind = FdKind.IPV4_SERVSOCK;
                fi.sip = java.util.Arrays.copyOfRange(a, 1, 5);
                fi.sport = port;
                fi.role = FdInfo.Role.SERVER;
            }
        } else if (a[0] == 10 && a.length >= 19) {
            int port = (a[17] & 0xFF) | (a[18] & 0xFF) << 8;
            if (port > 0) {
                if (Net.isIpv4Mapped(a, 1)) {
                    fi.kind = FdKind.IPV4_SERVSOCK;
                    fi.sip = java.util.Arrays.copyOfRange(a, 13, 17);
                } else {
                    fi.kind = FdKind.IPV6_SERVSOCK;
                    fi.sip = java.util.Arrays.copyOfRange(a, 1, 17);
                }
                fi.sport = port;
                fi.role = FdInfo.Role.SERVER;
            }
        }
        fi.name = ArgFormatter.sockaddr(a, 0, a.length);
    }

    private void connectEnter(Ctx c) {
        if (c.fd == null) {
            return;
        }
        byte[] a = c.bytes("addr");
        if (a == null || a.length == 0) {
            return;
        }
        FdInfo fi = c.fd;
        if (a[0] == 2 && a.length >= 7) {
            fi.kind = FdKind.IPV4_SOCK;
            fi.dip = java.util.Arrays.copyOfRange(a, 1, 5);
            fi.dport = (a[5] & 0xFF) | (a[6] & 0xFF) << 8;
            if (fi.sip.length != 4) {
                fi.sip = new byte[4];
            }
        } else if (a[0] == 10 && a.length >= 19) {
            int port = (a[17] & 0xFF) | (a[18] & 0xFF) << 8;
            if (Net.isIpv4Mapped(a, 1)) {
                fi.kind = FdKind.IPV4_SOCK;
                fi.dip = java.util.Arrays.copyOfRange(a, 13, 17);
                if (fi.sip.length != 4) {
                    fi.sip = new byte[4];
                }
            } else {
                fi.kind = FdKind.IPV6_SOCK;
                fi.dip = java.util.Arrays.copyOfRange(a, 1, 17);
                if (fi.sip.length != 16) {
                    fi.sip = new byte[16];
                }
            }
            fi.dport = port;
        } else {
            fi.name = ArgFormatter.sockaddr(a, 0, a.length);
        }
    }

    private void connectExit(Ctx c) {
        if (c.fd == null) {
            return;
        }
        long res = c.num("res", -1);
        if (res < 0 && res != -115) {
            return; // failed connects leave the fd as it was (EINPROGRESS counts as connected)
        }
        byte[] tuple = c.bytes("tuple");
        if (tuple == null || tuple.length == 0) {
            return;
        }
        fillClientSocket(c.fd, tuple);
    }

    /**
     * sinsp's set_*_addresses_and_ports: the source end is always taken from the tuple,
     * the destination only while it is still unknown. Returns whether anything changed
     * (false also when the tuple is the fd's own, in either direction).
     */
    private static boolean setTuple(FdInfo fi, byte[] p) {
        byte[] tsip, tdip;
        int tsport, tdport;
        if (p[0] == 2 && p.length >= 13) {
            fi.kind = FdKind.IPV4_SOCK;
            tsip = java.util.Arrays.copyOfRange(p, 1, 5);
            tsport = (p[5] & 0xFF) | (p[6] & 0xFF) << 8;
            tdip = java.util.Arrays.copyOfRange(p, 7, 11);
            tdport = (p[11] & 0xFF) | (p[12] & 0xFF) << 8;
        } else if (p[0] == 10 && p.length >= 37) {
            if (Net.isIpv4Mapped(p, 1) && Net.isIpv4Mapped(p, 19)) {
                fi.kind = FdKind.IPV4_SOCK;
                tsip = java.util.Arrays.copyOfRange(p, 13, 17);
                tdip = java.util.Arrays.copyOfRange(p, 31, 35);
            } else {
                fi.kind = FdKind.IPV6_SOCK;
                tsip = java.util.Arrays.copyOfRange(p, 1, 17);
                tdip = java.util.Arrays.copyOfRange(p, 19, 35);
            }
            tsport = (p[17] & 0xFF) | (p[18] & 0xFF) << 8;
            tdport = (p[35] & 0xFF) | (p[36] & 0xFF) << 8;
        } else {
            return false;
        }
        if (fi.sip.length != tsip.length) {
            fi.sip = new byte[tsip.length];
            fi.dip = new byte[tsip.length];
        }
        boolean same = java.util.Arrays.equals(tsip, fi.sip) && tsport == fi.sport
                && java.util.Arrays.equals(tdip, fi.dip) && tdport == fi.dport;
        boolean reversed = java.util.Arrays.equals(tdip, fi.sip) && tdport == fi.sport
                && java.util.Arrays.equals(tsip, fi.dip) && tsport == fi.dport;
        if (same || reversed) {
            return false;
        }
        boolean changed = false;
        if (!java.util.Arrays.equals(fi.sip, tsip)) {
            fi.sip = tsip;
            changed = true;
        }
        if (fi.sport != tsport) {
            fi.sport = tsport;
            changed = true;
        }
        if (isZero(fi.dip)) {
            fi.dip = tdip;
            changed = true;
        }
        if (fi.dport == 0) {
            fi.dport = tdport;
            changed = true;
        }
        return changed;
    }

    private static boolean isZero(byte[] a) {
        for (byte b : a) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** sinsp's update_fd for data events: tuple, UDP by default, missing local address from the interfaces. */
    private boolean updateFd(FdInfo fi, byte[] p) {
        if (p == null || p.length == 0) {
            return false;
        }
        if (p[0] == 1) {
            fi.kind = FdKind.UNIX_SOCK;
            if (p.length >= 17) {
                fi.unixSource = Le64.get(p, 1);
                fi.unixDest = Le64.get(p, 9);
                fi.name = ArgFormatter.cstring(p, 17, p.length - 17);
            }
            return true;
        }
        if (p[0] != 2 && p[0] != 10) {
            return false;
        }
        if (!setTuple(fi, p)) {
            return false;
        }
        if (fi.l4proto == FdInfo.L4_UNKNOWN) {
            fi.l4proto = FdInfo.L4_UDP;
        }
        inferAddresses(fi);
        return true;
    }

    /** sinsp_network_interfaces::update_fd: fill an unknown end with a local interface address. */
    private void inferAddresses(FdInfo fi) {
        if (!isZero(fi.sip) && !isZero(fi.dip)) {
            return;
        }
        if (isZero(fi.sip)) {
            byte[] a = inferLocal(fi.dip);
            if (java.util.Arrays.equals(a, fi.dip) && fi.sport == fi.dport) {
                return;
            }
            fi.sip = a;
        } else {
            byte[] a = inferLocal(fi.sip);
            if (java.util.Arrays.equals(a, fi.sip) && fi.sport == fi.dport) {
                return;
            }
            fi.dip = a;
        }
    }

    private byte[] inferLocal(byte[] dest) {
        boolean v6 = dest.length == 16;
        List<dev.stasis.capture.scap.InterfaceEntry> ifs = new ArrayList<>();
        for (dev.stasis.capture.scap.InterfaceEntry i : state.interfaces()) {
            if (i.isIpv6() == v6) {
                ifs.add(i);
            }
        }
        for (dev.stasis.capture.scap.InterfaceEntry i : ifs) {
            if (java.util.Arrays.equals(i.addr(), dest)) {
                return i.addr();
            }
        }
        for (dev.stasis.capture.scap.InterfaceEntry i : ifs) {
            if (v6 ? java.util.Arrays.equals(java.util.Arrays.copyOf(i.addr(), 8), java.util.Arrays.copyOf(dest, 8))
                    : sameSubnet(i.addr(), i.netmask(), dest)) {
                return i.addr();
            }
        }
        for (dev.stasis.capture.scap.InterfaceEntry i : ifs) {
            boolean loop = v6 ? java.util.Arrays.equals(i.addr(), LOOP6) : (i.addr()[0] == 127);
            if (!loop) {
                return i.addr();
            }
        }
        return new byte[dest.length];
    }

    private static final byte[] LOOP6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private static boolean sameSubnet(byte[] a, byte[] mask, byte[] d) {
        for (int k = 0; k < 4; k++) {
            if ((a[k] & mask[k]) != (d[k] & mask[k])) {
                return false;
            }
        }
        return true;
    }

    private static void swap(FdInfo fi) {
        byte[] ip = fi.sip;
        fi.sip = fi.dip;
        fi.dip = ip;
        int port = fi.sport;
        fi.sport = fi.dport;
        fi.dport = port;
    }

    private void fillClientSocket(FdInfo fi, byte[] tuple) {
        if (tuple[0] == 2 || tuple[0] == 10) {
            if (setTuple(fi, tuple) && fi.role == FdInfo.Role.SERVER && fi.l4proto == FdInfo.L4_UDP) {
                swap(fi);
            }
            fi.name = fi.socketName();
        } else {
            fi.name = ArgFormatter.socktuple(tuple, 0, tuple.length);
            if (tuple[0] == 1 && tuple.length >= 17) {
                fi.unixSource = Le64.get(tuple, 1);
                fi.unixDest = Le64.get(tuple, 9);
            }
        }
        if (fi.role == FdInfo.Role.NONE) {
            fi.role = FdInfo.Role.CLIENT;
        }
    }

    private void acceptExit(Ctx c) {
        if (c.t == null) {
            return;
        }
        long fd = c.num("fd", -1);
        if (fd < 0) {
            return;
        }
        c.t.lastEventFd = fd;
        byte[] p = c.bytes("tuple");
        if (p == null || p.length == 0) {
            return;
        }
        FdInfo fi;
        if (p[0] == 2 || p[0] == 10) {
            fi = new FdInfo(fd, FdKind.IPV4_SOCK);
            if (!setTuple(fi, p)) {
                return;
            }
            fi.l4proto = FdInfo.L4_TCP;
        } else if (p[0] == 1) {
            fi = new FdInfo(fd, FdKind.UNIX_SOCK);
            if (p.length >= 17) {
                fi.unixSource = Le64.get(p, 1);
                fi.unixDest = Le64.get(p, 9);
            }
        } else {
            return;
        }
        fi.name = ArgFormatter.socktuple(p, 0, p.length);
        fi.role = FdInfo.Role.SERVER;
        c.t.fdTable().put(fd, fi);
        c.fd = fi;
    }

    private void closeExit(Ctx c) {
        if (c.num("res", -1) < 0 || c.fd == null || c.t == null) {
            return;
        }
        state.tidOfFdsToRemove = c.t.tid;
        state.fdsToRemove.add(c.t.lastEventFd);
    }

    private void pipeExit(Ctx c) {
        if (c.num("res", -1) < 0 || c.t == null) {
            return;
        }
        long ino = c.num("ino", 0);
        for (String p : new String[] {"fd1", "fd2"}) {
            long fd = c.num(p, -1);
            FdInfo fi = new FdInfo(fd, FdKind.FIFO);
            fi.ino = ino;
            c.t.fdTable().put(fd, fi);
            if (c.fd == null || p.equals("fd1")) {
                c.fd = fi;
            }
        }
        c.fd = c.t.lookupFd(c.num("fd2", -1));
    }

    private void socketpairExit(Ctx c) {
        if (c.num("res", -1) < 0 || c.t == null) {
            return;
        }
        long fd1 = c.num("fd1", -1), fd2 = c.num("fd2", -1);
        FdInfo a = new FdInfo(fd1, FdKind.UNIX_SOCK);
        a.unixSource = c.num("source", 0);
        a.unixDest = c.num("peer", 0);
        c.t.fdTable().put(fd1, a);
        c.t.fdTable().put(fd2, a.copy(fd2));
        c.fd = a;
    }

    private void simpleFd(Ctx c, FdKind kind) {
        if (c.t == null) {
            return;
        }
        long fd = c.num("res", c.num("fd", -1));
        if (fd < 0) {
            return;
        }
        FdInfo fi = new FdInfo(fd, kind);
        c.t.fdTable().put(fd, fi);
        c.fd = fi;
    }

    private void dupExit(Ctx c) {
        if (c.t == null) {
            return;
        }
        long res = c.num("res", -1);
        if (res < 0 || c.fd == null) {
            return;
        }
        FdInfo copy = c.fd.copy(res);
        c.t.fdTable().put(res, copy);
        c.fd = copy;
    }

    private void fcntlExit(Ctx c) {
        if (c.t == null || c.fd == null || c.enter == null) {
            return;
        }
        long res = c.num("res", -1);
        int ci = enterIdx(c.enter, "cmd");
        if (res < 0 || ci < 0) {
            return;
        }
        long cmd = c.enter.integer(ci, false);
        // PPM_FCNTL_F_DUPFD (1) and F_DUPFD_CLOEXEC (26) create a copy
        if (cmd == 1 || cmd == 26) {
            FdInfo copy = c.fd.copy(res);
            c.t.fdTable().put(res, copy);
            c.fd = copy;
        }
    }

    private void chdirExit(Ctx c) {
        if (c.t == null || c.num("res", -1) < 0) {
            return;
        }
        String path = c.str("path");
        if (path != null) {
            setCwd(c.t, path);
        }
    }

    private void fchdirExit(Ctx c) {
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

    private void rwExit(Ctx c, String name) {
        if (c.fd == null) {
            return;
        }
        long res = c.num("res", -1);
        if (res < 0) {
            return;
        }
        FdInfo fi = c.fd;
        if (fi.kind == FdKind.IPV4_SOCK || fi.kind == FdKind.IPV6_SOCK) {
            fi.connected = true;
        }
        boolean reads = c.info.is(EventInfo.READS_FROM_FD);
        boolean tcp = fi.l4proto == FdInfo.L4_TCP;
        if (reads && (name.equals("recvfrom") || name.equals("recvmsg"))) {
            if (fi.name.isEmpty() || !tcp) {
                byte[] tuple = c.bytes("tuple");
                if (updateFd(fi, tuple)) {
                    renameAfterUpdate(c, fi, tuple, true);
                }
            }
        } else if (!reads && (name.equals("sendto") || name.equals("sendmsg"))) {
            if (fi.name.isEmpty() || !tcp) {
                if (c.enter == null) {
                    return;
                }
                int ti = enterIdx(c.enter, "tuple");
                byte[] tuple = ti < 0 ? null : c.enter.bytes(ti);
                if (updateFd(fi, tuple)) {
                    renameAfterUpdate(c, fi, tuple, false);
                }
            }
        }
    }

    private void renameAfterUpdate(Ctx c, FdInfo fi, byte[] tuple, boolean incoming) {
        if (fi.kind == FdKind.IPV4_SOCK || fi.kind == FdKind.IPV6_SOCK) {
            if (fi.role == FdInfo.Role.NONE) {
                fi.role = guessRole(c.t, fi, incoming);
            }
            if (incoming ? fi.role == FdInfo.Role.CLIENT : fi.role == FdInfo.Role.SERVER) {
                swap(fi);
            }
            fi.name = fi.socketName();
        } else {
            fi.name = ArgFormatter.socktuple(tuple, 0, tuple.length);
        }
    }

    /** sinsp's set_net_role_by_guessing: server if this process owns the destination port. */
    private static FdInfo.Role guessRole(ThreadInfo t, FdInfo fi, boolean incoming) {
        if (fi.kind == FdKind.IPV4_SOCK && t != null) {
            boolean bound = false;
            for (FdInfo o : t.fdTable().values()) {
                if ((o.kind == FdKind.IPV4_SOCK && o.dport == fi.dport)
                        || (o.kind == FdKind.IPV4_SERVSOCK && o.sport == fi.dport)) {
                    bound = true;
                    break;
                }
            }
            if (!bound) {
                return FdInfo.Role.CLIENT;
            }
            boolean clientPort = false;
            for (FdInfo o : t.fdTable().values()) {
                if (o.kind == FdKind.IPV4_SOCK && o.sport == fi.sport) {
                    clientPort = true;
                    break;
                }
            }
            if (!clientPort) {
                return FdInfo.Role.SERVER;
            }
            return incoming ? FdInfo.Role.SERVER : FdInfo.Role.CLIENT;
        }
        return FdInfo.Role.CLIENT;
    }

    private void cloneExit(Ctx c) {
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
                parent.args = split(args, args.length);
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
            child.args = split(args, args.length);
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
            child.cgroups = split(cg, cg.length);
        } else {
            child.cgroups = parent.cgroups;
        }
        resolveContainer(child);
        child.cloneTs = e.ts();
        state.add(child);
        if (inverted) {
            c.t = child;
        }
    }

    /** libsinsp's parse_capset_exit: a successful capset sets the thread's three sets. */
    private void capsetExit(Ctx c) {
        if (c.t == null || c.num("res", -1) < 0 || !c.has("cap_effective")) {
            return;
        }
        c.t.capInheritable = c.num("cap_inheritable", c.t.capInheritable);
        c.t.capPermitted = c.num("cap_permitted", c.t.capPermitted);
        c.t.capEffective = c.num("cap_effective", c.t.capEffective);
    }

    private void execveExit(Ctx c) {
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
            t.args = split(args, args.length);
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
            t.env = split(env, env.length);
        }
        byte[] cg = c.bytes("cgroups");
        if (cg != null) {
            t.cgroups = split(cg, cg.length);
            resolveContainer(t);
        }
        if (c.enter != null) {
            int fi = enterIdx(c.enter, "filename");
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
        t.flags = 0;
    }

    private void parseContainerJson(RawEvent e) {
        if (e.nparams() < 1) {
            return;
        }
        ContainerInfo c = ContainerJson.parse(e.string(0));
        if (c != null) {
            state.putContainer(c);
        }
    }

    /** Little-endian u64 from a byte array. */
    static final class Le64 {
        static long get(byte[] b, int off) {
            long v = 0;
            for (int k = 7; k >= 0; k--) {
                v = v << 8 | (b[off + k] & 0xFF);
            }
            return v;
        }
    }
}
