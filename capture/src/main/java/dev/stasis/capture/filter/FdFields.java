package dev.stasis.capture.filter;

import static dev.stasis.capture.filter.FieldDef.ArgPolicy.NONE;
import static dev.stasis.capture.filter.FieldType.BOOL;
import static dev.stasis.capture.filter.FieldType.INT;
import static dev.stasis.capture.filter.FieldType.IPADDR;
import static dev.stasis.capture.filter.FieldType.IPNET;
import static dev.stasis.capture.filter.FieldType.PORT;
import static dev.stasis.capture.filter.FieldType.STRING;
import static dev.stasis.capture.filter.FieldType.UINT;

import dev.stasis.capture.filter.EventView.FdView;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code fd.*} fields of the event's file descriptor (libsinsp's sinsp_filter_check_fd):
 * read only on events that create, use or destroy an fd; the socket ends come from {@link SocketEnds}.
 */
final class FdFields {
    private FdFields() {}

    /** fd.typechar's values, made once: a filter reads it on every fd event. */
    private static final String[] TYPE_CHARS = new String[128];

    static {
        for (char c = 0; c < TYPE_CHARS.length; c++) TYPE_CHARS[c] = String.valueOf(c);
    }

    static void register(FieldRegistry r) {
        r.add("fd.num", INT, NONE, "fd number", (e, a) -> {
            if (!fdEvent(e)) return null;
            FdView f = e.fd();
            return f != null ? (Long) f.num() : e.lastEventFd();
        });
        fdf(r, "fd.type", STRING, "fd type: file, directory, ipv4, ipv6, unix, pipe...", FdView::typeName);
        r.add("fd.typechar", STRING, NONE, "fd type as one character", (e, a) -> {
            if (!fdEvent(e)) return null;
            FdView f = e.fd();
            char c = f != null ? f.typeChar() : typeCharFromEvent(e);
            return c < TYPE_CHARS.length ? TYPE_CHARS[c] : String.valueOf(c);
        });
        r.add("fd.name", STRING, NONE, "path or connection tuple", (e, a) -> fdName(e));
        r.add("fd.nameraw", STRING, NONE, "fd name as the kernel gave it", (e, a) -> fdName(e));
        r.add("fd.directory", STRING, NONE, "directory of a file, or the directory itself", (e, a) -> directory(e));
        // libsinsp's m_container_id, which is empty (not "host") for a host process
        r.add("fd.containerdirectory", STRING, NONE, "container id, ':' and fd.directory (\":/etc\" on the host)",
                (e, a) -> {
                    String dir = directory(e);
                    if (dir == null || e.thread() == null) return null;
                    String id = e.thread().containerId();
                    return (id == null || id.equals("host") ? "" : id) + ":" + dir;
                });
        // sysdig 0.29.3: the thread id and the fd number written one after the other ("174973")
        r.add("fd.uid", STRING, NONE, "thread id followed by fd number", (e, a) -> {
            if (!fdEvent(e)) return null;
            FdView f = e.fd();
            Long num = f != null ? (Long) f.num() : e.lastEventFd();
            return num == null ? null : e.tid() + String.valueOf(num);
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
            if (!SocketEnds.isIpSocket(f)) return false;
            // libsinsp reads the destination address whatever the role: 0.0.0.0 (or ::) before it is known
            return e.isLocalAddress(SocketEnds.orZero(f.serverIp(), f.typeChar() == '4' ? 4 : 16));
        });
        r.add("fd.cip", IPADDR, NONE, "client IP", (e, a) -> SocketEnds.endpoint(e, true, false));
        r.add("fd.sip", IPADDR, NONE, "server IP", (e, a) -> SocketEnds.endpoint(e, false, false));
        r.add("fd.cport", PORT, NONE, "client port", (e, a) -> SocketEnds.endpoint(e, true, true));
        r.add("fd.sport", PORT, NONE, "server port", (e, a) -> SocketEnds.endpoint(e, false, true));
        r.add("fd.lip", IPADDR, NONE, "local IP", (e, a) -> SocketEnds.localRemote(e, true, false));
        r.add("fd.rip", IPADDR, NONE, "remote IP", (e, a) -> SocketEnds.localRemote(e, false, false));
        r.add("fd.lport", PORT, NONE, "local port", (e, a) -> SocketEnds.localRemote(e, true, true));
        r.add("fd.rport", PORT, NONE, "remote port", (e, a) -> SocketEnds.localRemote(e, false, true));
        // sysdig -r resolves no port names (that takes -R): the "protocol" is the port number as text
        r.add("fd.cproto", STRING, NONE, "client port as text (sysdig -r resolves no service names)",
                (e, a) -> SocketEnds.proto(e, true));
        r.add("fd.sproto", STRING, NONE, "server port as text; empty for a listening socket",
                (e, a) -> SocketEnds.proto(e, false));
        r.add("fd.lproto", STRING, NONE, "local port as text", (e, a) -> SocketEnds.portText(e, true));
        r.add("fd.rproto", STRING, NONE, "remote port as text", (e, a) -> SocketEnds.portText(e, false));
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
                (e, a) -> SocketEnds.both(SocketEnds.endpoint(e, true, false), SocketEnds.endpoint(e, false, false)));
        r.addFilterOnly("fd.port", PORT, "client or server port",
                (e, a) -> SocketEnds.both(SocketEnds.endpoint(e, true, true), SocketEnds.endpoint(e, false, true)));
        r.addFilterOnly("fd.net", IPNET, "client or server IP, matched against a network", (e, a) -> SocketEnds.netAddresses(e));
        r.addFilterOnly("fd.cnet", IPNET, "client IP, matched against a network", (e, a) -> SocketEnds.endpoint(e, true, false));
        r.addFilterOnly("fd.snet", IPNET, "server IP, matched against a network", (e, a) -> SocketEnds.endpoint(e, false, false));
        r.addFilterOnly("fd.lnet", IPNET, "local IP, matched against a network", (e, a) -> SocketEnds.localRemote(e, true, false));
        r.addFilterOnly("fd.rnet", IPNET, "remote IP, matched against a network", (e, a) -> SocketEnds.localRemote(e, false, false));
    }

    private static String directory(EventView e) {
        if (!fdEvent(e)) return null;
        FdView f = e.fd();
        if (f == null) return e.isEnter() ? null : PathNames.directoryOf(fdName(e));
        if (f.typeChar() == 'd') return f.name();
        return f.typeChar() == 'f' ? PathNames.directoryOf(f.name()) : null;
    }

    /** libsinsp reads fd fields only on events that create, use or destroy an fd, of a known thread. */
    private static boolean fdEvent(EventView e) {
        return e.fdRelated() && e.thread() != null;
    }

    static FdView fdOf(EventView e) {
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

    private static Object fdv(EventView e, Function<FdView, Object> f) {
        FdView fd = fdOf(e);
        return fd == null ? null : f.apply(fd);
    }

    private static void fdf(FieldRegistry r, String name, FieldType type, String desc, Function<FdView, Object> f) {
        r.add(name, type, NONE, desc, (e, a) -> fdv(e, f));
    }
}
