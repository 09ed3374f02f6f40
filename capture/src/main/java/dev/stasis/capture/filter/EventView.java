package dev.stasis.capture.filter;

import java.net.InetAddress;
import java.util.List;

/**
 * What the filter fields read from one event, with the state sysdig keeps
 * resolved: the thread that made the call, the fd the call is about, the
 * container. The capture reader adapts its events to this view, so that the
 * filter language does not depend on how events are stored.
 */
public interface EventView {
    /** sysdig's %evt.num. */
    long num();

    /** Nanoseconds since the epoch. */
    long ts();

    int cpu();

    long tid();

    /** The event's name as sysdig prints %evt.type, e.g. {@code open}. */
    String type();

    /** True for enter events ({@code >}), false for exit events ({@code <}). */
    boolean isEnter();

    /** Whether the event table gives this event the category or flag, by its C name: {@code EC_IO_READ}, {@code EF_READS_FROM_FD}. */
    boolean hasFlag(String cName);

    /**
     * The driver's event type number (even enter, odd exit), or -1 when the view does
     * not know it. Filters compile {@code evt.type} checks to sets of these numbers.
     */
    default int typeId() {
        return -1;
    }

    /**
     * The driver's event type number, generic events (0 and 1) included, or -1 when the
     * view does not know it: what {@code evt.dir} checks compile to.
     */
    default int rawTypeId() {
        return typeId();
    }

    /**
     * For a generic event (types 0 and 1, whose {@code evt.type} is the name of the syscall
     * they carry): that syscall's PPM_SC code; -1 for other events and views that do not know.
     */
    default int genericSyscall() {
        return -1;
    }

    /**
     * sysdig's evt.latency: for an exit event the nanoseconds since its thread's last
     * enter event, 0 for enter events and unknown threads; null for internal events.
     */
    default Long latency() {
        return null;
    }

    /** sysdig's fd.name_changed: parsing this event changed the name of its fd. */
    default boolean fdNameChanged() {
        return false;
    }

    /** Whether the event creates, uses or destroys an fd (EF_CREATES_FD, EF_USES_FD, EF_DESTROYS_FD). */
    default boolean fdRelated() {
        return hasFlag("EF_CREATES_FD") || hasFlag("EF_USES_FD") || hasFlag("EF_DESTROYS_FD");
    }

    /** Timestamp of the capture's first event (evt.reltime's origin), or 0 when the view does not know it. */
    default long firstEventTs() {
        return 0;
    }

    /** The capture's host name (machine info), or null. */
    default String hostname() {
        return null;
    }

    int paramCount();

    String paramName(int i);

    /** The raw value: Long for integers, String for strings and paths, byte[] for buffers and sockaddrs. */
    Object paramRaw(int i);

    /** sysdig's unresolved text of a parameter, e.g. {@code 3} for an fd or {@code -2(ENOENT)} for an errno. */
    String paramText(int i);

    /**
     * sysdig's %evt.arg text: the resolved value when there is one ({@code <f>/etc/passwd}
     * for an fd, {@code ENOENT} for an errno), else the plain one.
     */
    String paramArg(int i);

    /** sysdig's %evt.args: every parameter as {@code name=value(resolved)}, space separated. */
    String args();

    /** The thread of the event, or null if the capture never told us about it. */
    ThreadView thread();

    /** The fd the event is about (from its fd parameter or the fd it returned), or null. */
    FdView fd();

    /**
     * The call's return value as sysdig 0.29 finds it: the {@code res} parameter,
     * or the {@code fd} an fd-creating call returned; null when the event has neither.
     */
    Long returnValue();

    /**
     * The fd number the thread's last fd-related call used (libsinsp's
     * m_lastevent_fd, sysdig's %fd.num), or null when the thread is unknown.
     */
    Long lastEventFd();

    /** Whether an address belongs to one of the capture's network interfaces (for fd.is_server, fd.lip...). */
    default boolean isLocalAddress(InetAddress address) {
        return false;
    }

    /** The index of parameter {@code name}, or -1. */
    default int paramIndex(String name) {
        for (int i = 0; i < paramCount(); i++) {
            if (paramName(i).equals(name)) return i;
        }
        return -1;
    }

    /** A thread as sysdig's thread table knows it at the time of the event. */
    interface ThreadView {
        long tid();

        /** The name of an fd in the process's table, null when it has none (or the view does not know). */
        default String fdName(long fd) {
            return null;
        }

        /** Number of fds in the process's table, 0 when the view does not know it. */
        default long fdOpenCount() {
            return 0;
        }

        /** The thread's cgroups as "subsystem=path", in the order the capture gives them. */
        default List<String> cgroups() {
            return List.of();
        }

        long pid();

        long ptid();

        long vtid();

        long vpid();

        long sid();

        long vpgid();

        /** The command name (comm), sysdig's proc.name. */
        String comm();

        /** argv[0], sysdig's proc.exe. */
        String exe();

        /** The full executable path, sysdig's proc.exepath. */
        String exepath();

        List<String> args();

        String cwd();

        List<String> env();

        long uid();

        long gid();

        long loginUid();

        long tty();

        /** Capability sets as bit masks (bit n = capability n), 0 when the capture does not say. */
        default long capEffective() { return 0; }

        default long capPermitted() { return 0; }

        default long capInheritable() { return 0; }

        /** Resolved user name, or null when the capture has no user list entry. */
        String userName();

        String userHome();

        String userShell();

        String loginUserName();

        String groupName();

        /** The name of the process's session leader (sysdig's proc.sname), or null. */
        default String sessionLeaderName() {
            return null;
        }

        /** The thread whose tid is this thread's ptid (sysdig's get_parent_thread), or null. */
        ThreadView parent();

        /** The process's main thread (tid == pid); this thread when that one is unknown. */
        ThreadView mainThread();

        /** "host" for processes outside containers. */
        String containerId();

        ContainerView container();

        /** Whether the executable is writable by the process's user, or null if unknown. */
        default Boolean exeWritable() {
            return null;
        }

        /** Nanosecond timestamp of the clone/execve that created this thread, 0 if unknown. */
        long startTs();
    }

    /** An fd in a thread's fd table. */
    interface FdView {
        long num();

        /** sysdig's fd.typechar: f, 4, 6, u, p, e, s, l, i, t, n, o, m, d, b... */
        char typeChar();

        /** sysdig's fd.type: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, ... */
        String typeName();

        /** sysdig's fd.name: the path, or the tuple for sockets. */
        String name();

        /** tcp, udp, icmp, raw, or null when not a network socket. */
        String l4proto();

        /** Client (source) address of an IP socket, or null. */
        InetAddress clientIp();

        InetAddress serverIp();

        int clientPort();

        int serverPort();

        /** A listening socket (scap's IPV4_SERVSOCK/IPV6_SERVSOCK). */
        boolean serverSocket();

        /** fd.connected: libsinsp's connected flag; by default, a socket whose role is known. */
        default boolean socketConnected() {
            return (typeChar() == '4' || typeChar() == '6' || typeChar() == 'u') && !serverSocket()
                    && (roleServer() || roleClient());
        }

        boolean roleServer();

        boolean roleClient();

        /** The fd's ino for files, 0 if unknown. */
        long ino();
    }

    /** Container metadata from the capture's container events. */
    interface ContainerView {
        String id();

        String name();

        /** The image as the runtime reported it, e.g. {@code nginx:latest}. */
        String image();

        String imageRepository();

        String imageTag();

        String imageId();

        String type();

        boolean privileged();

        /** Container labels (for k8s.* fields: io.kubernetes.pod.name and friends). */
        java.util.Map<String, String> labels();

        /** The container's mounts, in the order of its container event (container.mount* fields). */
        default List<dev.stasis.capture.state.ContainerMount> mounts() {
            return List.of();
        }
    }
}
