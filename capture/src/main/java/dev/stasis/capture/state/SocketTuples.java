package dev.stasis.capture.state;

import dev.stasis.capture.scap.FdKind;
import dev.stasis.capture.scap.InterfaceEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A socket's addresses and ports from the tuples of events (libsinsp's set_*_addresses_and_ports,
 * update_fd), with the local end of an incomplete tuple inferred from the network interfaces.
 */
final class SocketTuples {
    private final CaptureState state;

    SocketTuples(CaptureState state) {
        this.state = state;
    }

    /**
     * sinsp's set_*_addresses_and_ports: the source end is always taken from the tuple,
     * the destination only while it is still unknown. Returns whether anything changed
     * (false also when the tuple is the fd's own, in either direction).
     */
    static boolean setTuple(FdInfo fi, byte[] p) {
        byte[] tsip, tdip;
        int tsport, tdport;
        boolean wasServer4 = fi.kind == FdKind.IPV4_SERVSOCK;
        if (p[0] == 2 && p.length >= 13) {
            fi.kind = FdKind.IPV4_SOCK;
            tsip = java.util.Arrays.copyOfRange(p, 1, 5);
            tsport = (p[5] & 0xFF) | (p[6] & 0xFF) << 8;
            tdip = java.util.Arrays.copyOfRange(p, 7, 11);
            tdport = (p[11] & 0xFF) | (p[12] & 0xFF) << 8;
        } else if (p[0] == 10 && p.length >= 37) {
            tsport = (p[17] & 0xFF) | (p[18] & 0xFF) << 8;
            tdport = (p[35] & 0xFF) | (p[36] & 0xFF) << 8;
            if (Net.isIpv4Mapped(p, 1) && Net.isIpv4Mapped(p, 19)) {
                fi.kind = FdKind.IPV4_SOCK;
                tsip = java.util.Arrays.copyOfRange(p, 13, 17);
                tdip = java.util.Arrays.copyOfRange(p, 31, 35);
            } else {
                tsip = java.util.Arrays.copyOfRange(p, 1, 17);
                tdip = java.util.Arrays.copyOfRange(p, 19, 35);
                if (fi.kind == FdKind.IPV6_SERVSOCK) {
                    overlayServerInfo6(fi);
                }
                fi.kind = FdKind.IPV6_SOCK;
            }
        } else {
            return false;
        }
        if (wasServer4 && fi.kind == FdKind.IPV4_SOCK) {
            overlayServerInfo(fi);
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

    /**
     * An IPv6 tuple on a listening IPv6 socket in a data event: unlike IPv4 (and unlike connect),
     * libsinsp's update_fd (0.29 and later) keeps the fd a listening socket and writes the tuple
     * into the address union. Its source address is the union's first 16 bytes, the listening
     * address; its destination address would start with the listening port and protocol, never
     * empty, so it stays; the ports lie past the server's fields and change nothing visible. The
     * fd's name becomes the tuple as printed (SocketParsers). Returns set_ipv6_addresses_and_ports'
     * "changed": always while the tuple's destination port is still zero.
     */
    private static boolean setServerTuple6(FdInfo fi, byte[] p) {
        byte[] tsip = java.util.Arrays.copyOfRange(p, 1, 17);
        int tsport = (p[17] & 0xFF) | (p[18] & 0xFF) << 8;
        int tdport = (p[35] & 0xFF) | (p[36] & 0xFF) << 8;
        boolean changed = !java.util.Arrays.equals(fi.sip, tsip) || fi.unionSport != tsport;
        fi.sip = tsip;
        fi.unionSport = tsport;
        if (fi.unionDport == 0) {
            fi.unionDport = tdport;
            changed = true;
        }
        return changed;
    }

    /**
     * libsinsp keeps a socket's addresses in a union: when a listening IPv4 socket turns into a
     * connection (a tuple on a data event), the connection's fields are read over the server's
     * (ip, port, l4proto). The source address stays the server's, the destination address's first
     * three bytes are the server port and protocol, so it is never zero and never local
     * (fd.is_server is then false); the source and destination ports start from what a socket()
     * left there, zero.
     */
    private static void overlayServerInfo(FdInfo fi) {
        fi.sip = fi.sip.length == 4 ? fi.sip : new byte[4];
        fi.dip = new byte[] {(byte) fi.sport, (byte) (fi.sport >>> 8), (byte) fi.l4proto, 0};
        fi.sport = 0;
        fi.dport = 0;
    }

    /**
     * A listening IPv6 socket turned into a connection by connect: as for IPv4, the connection's
     * fields are read over the server's (ip, port, l4proto) in the union, so the destination
     * address starts with the server port and protocol; the ports are what earlier tuples left.
     */
    private static void overlayServerInfo6(FdInfo fi) {
        byte[] dip = new byte[16];
        dip[0] = (byte) fi.sport;
        dip[1] = (byte) (fi.sport >>> 8);
        dip[2] = (byte) fi.l4proto;
        fi.sip = fi.sip.length == 16 ? fi.sip : new byte[16];
        fi.dip = dip;
        fi.sport = fi.unionSport;
        fi.dport = fi.unionDport;
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
    boolean updateFd(FdInfo fi, byte[] p) {
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
        if (fi.kind == FdKind.IPV6_SERVSOCK && p[0] == 10 && p.length >= 37
                && !(Net.isIpv4Mapped(p, 1) && Net.isIpv4Mapped(p, 19))) {
            return setServerTuple6(fi, p);
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
        List<InterfaceEntry> ifs = new ArrayList<>();
        for (InterfaceEntry i : state.interfaces()) {
            if (i.isIpv6() == v6) {
                ifs.add(i);
            }
        }
        for (InterfaceEntry i : ifs) {
            if (java.util.Arrays.equals(i.addr(), dest)) {
                return i.addr();
            }
        }
        for (InterfaceEntry i : ifs) {
            if (v6 ? java.util.Arrays.equals(java.util.Arrays.copyOf(i.addr(), 8), java.util.Arrays.copyOf(dest, 8))
                    : sameSubnet(i.addr(), i.netmask(), dest)) {
                return i.addr();
            }
        }
        for (InterfaceEntry i : ifs) {
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

    static void swap(FdInfo fi) {
        byte[] ip = fi.sip;
        fi.sip = fi.dip;
        fi.dip = ip;
        int port = fi.sport;
        fi.sport = fi.dport;
        fi.dport = port;
    }
}
