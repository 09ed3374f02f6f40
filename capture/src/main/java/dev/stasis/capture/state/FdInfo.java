package dev.stasis.capture.state;

import dev.stasis.capture.scap.FdKind;

/**
 * A file descriptor in a thread's fd table, as the state engine knows it at an event:
 * its kind, name (path, or for sockets the tuple {@code sip:sport->dip:dport} as
 * sysdig prints %fd.name), the socket endpoints and protocol, and the role.
 * Addresses are network-order bytes (4 or 16); for server sockets {@code sip}/{@code sport}
 * hold the listening address. Mutated only by the state engine.
 */
public final class FdInfo {
    /** scap l4 protocol numbers. */
    public static final int L4_UNKNOWN = 0, L4_NA = 1, L4_TCP = 2, L4_UDP = 3, L4_ICMP = 4, L4_RAW = 5;

    public enum Role { NONE, CLIENT, SERVER }

    long fd;
    FdKind kind;
    String name = "";
    /** The name when the state engine last looked this fd up (libsinsp's m_oldname). */
    String oldName = "";
    byte[] sip = new byte[0];
    byte[] dip = new byte[0];
    int sport;
    int dport;
    int l4proto;
    Role role = Role.NONE;
    int openFlags;
    long ino;
    int dev;
    long unixSource;
    long unixDest;
    boolean closing;
    boolean connected;
    /**
     * The source and destination ports of libsinsp's IPv6 tuple while the fd stays a listening
     * IPv6 socket (SocketTuples.setTuple): they lie in the address union past the server's
     * (ip, port, l4proto), so a tuple writes them without changing what the fd reads as.
     */
    int unionSport;
    int unionDport;

    FdInfo(long fd, FdKind kind) {
        this.fd = fd;
        this.kind = kind;
    }

    FdInfo copy(long newFd) {
        FdInfo c = new FdInfo(newFd, kind);
        c.name = name;
        c.oldName = oldName;
        c.sip = sip;
        c.dip = dip;
        c.sport = sport;
        c.dport = dport;
        c.l4proto = l4proto;
        c.role = role;
        c.openFlags = openFlags;
        c.ino = ino;
        c.dev = dev;
        c.unixSource = unixSource;
        c.unixDest = unixDest;
        c.connected = connected;
        c.unionSport = unionSport;
        c.unionDport = unionDport;
        return c;
    }

    public long fd() { return fd; }
    public FdKind kind() { return kind; }
    /** %fd.name: path, socket tuple or descriptive name (may be empty). */
    public String name() { return name; }
    /** %fd.typechar. */
    public char typeChar() { return kind.typeChar(); }
    /** %fd.type. */
    public String typeName() { return kind.typeName(); }
    /**
     * The l4 protocol as sysdig reports it: for client/server-less IP sockets (created
     * but not yet connected, bound or used) it is "not available", as in sysdig.
     */
    public int l4proto() {
        if (kind == FdKind.IPV4_SOCK || kind == FdKind.IPV6_SOCK) {
            if (l4proto == L4_RAW) {
                return L4_RAW;
            }
            return role == Role.NONE ? L4_NA : l4proto;
        }
        if (isServerSocket()) {
            return l4proto;
        }
        return L4_NA;
    }
    public Role role() { return role; }
    public boolean isServerRole() { return role == Role.SERVER; }
    public int openFlags() { return openFlags; }
    public long ino() { return ino; }
    public int dev() { return dev; }
    public long unixSource() { return unixSource; }
    public long unixDest() { return unixDest; }
    /**
     * libsinsp's FLAGS_SOCKET_CONNECTED (fd.connected): a TCP socket from the fd list, a connect
     * that succeeded or is in progress, an accepted socket, an IP socket data went through.
     */
    public boolean isConnected() { return connected; }

    /** Source address bytes (the listening address for server sockets). */
    public byte[] sourceIp() { return sip.clone(); }
    public byte[] destIp() { return dip.clone(); }
    public int sourcePort() { return sport; }
    public int destPort() { return dport; }

    public boolean isSocket() { return kind.isSocket(); }
    public boolean isIp() {
        return kind == FdKind.IPV4_SOCK || kind == FdKind.IPV6_SOCK || kind == FdKind.IPV4_SERVSOCK
                || kind == FdKind.IPV6_SERVSOCK;
    }
    public boolean isServerSocket() {
        return kind == FdKind.IPV4_SERVSOCK || kind == FdKind.IPV6_SERVSOCK;
    }

    /** %fd.l4proto as sysdig prints it. */
    public String l4protoName() {
        return switch (l4proto()) {
            case L4_TCP -> "tcp";
            case L4_UDP -> "udp";
            case L4_ICMP -> "icmp";
            case L4_RAW -> "raw";
            default -> "<NA>";
        };
    }

    /** The letter after the type char inside {@code <4t>} (t, u, i, r or none). */
    char protoChar() {
        if (!isIp()) {
            return 0;
        }
        return switch (l4proto()) {
            case L4_TCP -> 't';
            case L4_UDP -> 'u';
            case L4_ICMP -> 'i';
            case L4_RAW -> 'r';
            default -> 0;
        };
    }

    /** sysdig's sockinfo_to_str for IP sockets: {@code sip:sport->dip:dport} or {@code ip:port}. */
    String socketName() {
        if (isServerSocket()) {
            return Net.ip(sip) + ":" + sport;
        }
        return Net.ip(sip) + ":" + sport + "->" + Net.ip(dip) + ":" + dport;
    }

    @Override
    public String toString() {
        return "FdInfo[" + fd + " <" + typeChar() + "> " + name + "]";
    }
}
