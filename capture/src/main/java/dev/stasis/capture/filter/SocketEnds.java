package dev.stasis.capture.filter;

import dev.stasis.capture.filter.EventView.FdView;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The ends of a socket as the fd fields name them: client and server (fd.cip, fd.sport...), local
 * and remote (fd.lip, fd.rport...) and both at once (fd.ip, fd.net), with libsinsp's rules for
 * roles not yet known and listening sockets.
 */
final class SocketEnds {
    private SocketEnds() {}

    static boolean isIpSocket(FdView f) {
        return (f.typeChar() == '4' || f.typeChar() == '6') && !f.serverSocket();
    }

    private static boolean roleNone(FdView f) {
        return !f.roleServer() && !f.roleClient();
    }

    /** fd.cip/sip/cport/sport: the connection's ends, unknown until the role is. */
    static Object endpoint(EventView e, boolean client, boolean port) {
        FdView f = FdFields.fdOf(e);
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
    /**
     * sysdig 0.29.3's fd.cproto and fd.sproto: the port of a connected IP socket as text, unknown
     * without a role; the other fds with a role (a listening socket, a unix socket) give "", except
     * that fd.sproto of a socket other than IP and listening is unknown.
     */
    static String proto(EventView e, boolean client) {
        FdView f = FdFields.fdOf(e);
        if (f == null) return null;
        boolean ip = isIpSocket(f);
        if (!client && !ip && !(f.serverSocket() && (f.typeChar() == '4' || f.typeChar() == '6'))) return null;
        if ((ip || client) && roleNone(f)) return null;
        if (!ip) return "";
        return String.valueOf(client ? f.clientPort() : f.serverPort());
    }

    /** fd.lport or fd.rport as text (fd.lproto, fd.rproto: sysdig -r resolves no service names). */
    static String portText(EventView e, boolean local) {
        Object p = localRemote(e, local, true);
        return p == null ? null : p.toString();
    }

    static Object localRemote(EventView e, boolean local, boolean port) {
        FdView f = FdFields.fdOf(e);
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
    static Object netAddresses(EventView e) {
        FdView f = FdFields.fdOf(e);
        if (f == null) return null;
        int len = f.typeChar() == '4' ? 4 : f.typeChar() == '6' ? 16 : 0;
        if (len == 0) return null;
        if (f.serverSocket()) return orZero(f.serverIp(), len);
        return both(orZero(f.clientIp(), len), orZero(f.serverIp(), len));
    }

    static InetAddress orZero(InetAddress a, int len) {
        if (a != null) return a;
        try {
            return InetAddress.getByAddress(new byte[len]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object both(Object a, Object b) {
        List<Object> values = new ArrayList<>(2);
        if (a != null) values.add(a);
        if (b != null) values.add(b);
        return values.isEmpty() ? null : new AnyOf(values, true);
    }
}
