package dev.stasis.capture.state;

import dev.stasis.capture.scap.EventInfo;
import dev.stasis.capture.scap.FdKind;

/**
 * libsinsp's socket parsers: socket, bind, connect, accept, and the tuples that data events
 * (sendto, recvfrom, sendmsg, recvmsg) carry, with the role of a socket guessed as libsinsp does.
 */
final class SocketParsers {
    private final SocketTuples tuples;

    SocketParsers(CaptureState state) {
        this.tuples = new SocketTuples(state);
    }

    void socketExit(ParseContext c) {
        long fd = c.num("fd", -1);
        if (fd < 0 || c.t == null || c.enter == null) {
            return;
        }
        int di = ParseContext.enterIdx(c.enter, "domain");
        int ti = ParseContext.enterIdx(c.enter, "type");
        int pi = ParseContext.enterIdx(c.enter, "proto");
        if (di < 0 || ti < 0 || pi < 0) {
            return;
        }
        addSocket(c, fd, (int) c.enter.integer(di, false), (int) c.enter.integer(ti, false),
                (int) c.enter.integer(pi, false));
    }

    private void addSocket(ParseContext c, long fd, int domain, int type, int proto) {
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

    void inferSendto(ParseContext c) {
        long fd = c.num("fd", -1);
        byte[] tuple = c.bytes("tuple");
        if (fd < 0 || tuple == null || tuple.length == 0) {
            return;
        }
        if (tuple[0] == 2 || tuple[0] == 10) {
            addSocket(c, fd, tuple[0], 2, 17);
        }
    }

    void bindExit(ParseContext c) {
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
                    if (fi.kind == FdKind.IPV6_SOCK) { // its tuple's ports now lie past the server's fields
                        fi.unionSport = fi.sport;
                        fi.unionDport = fi.dport;
                    }
                    fi.kind = FdKind.IPV6_SERVSOCK;
                    fi.sip = java.util.Arrays.copyOfRange(a, 1, 17);
                }
                fi.sport = port;
                fi.role = FdInfo.Role.SERVER;
            }
        }
        fi.name = ArgFormatter.sockaddr(a, 0, a.length);
    }

    void connectEnter(ParseContext c) {
        if (c.fd == null) {
            return;
        }
        byte[] a = c.bytes("addr");
        if (a == null || a.length == 0) {
            return;
        }
        FdInfo fi = c.fd;
        listeningToConnection(fi, a[0] == 2 || (a[0] == 10 && a.length >= 19 && Net.isIpv4Mapped(a, 1)));
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

    /**
     * A connect on a listening socket (one bound to a port): libsinsp writes the destination into
     * the address union over the server's (ip, port, l4proto), so the connection's source address is
     * what the union's first bytes hold and its source port what lies past the server's fields:
     * the listening address and, for IPv6, the port an earlier tuple left there (zero for IPv4).
     */
    private static void listeningToConnection(FdInfo fi, boolean toIpv4) {
        if (fi.kind == FdKind.IPV4_SERVSOCK) {
            if (!toIpv4) { // an IPv6 view of the IPv4 server's fields
                byte[] ip = new byte[16];
                System.arraycopy(fi.sip, 0, ip, 0, Math.min(4, fi.sip.length));
                ip[4] = (byte) fi.sport;
                ip[5] = (byte) (fi.sport >>> 8);
                ip[6] = (byte) fi.l4proto;
                fi.sip = ip;
            }
            fi.sport = 0;
        } else if (fi.kind == FdKind.IPV6_SERVSOCK) {
            if (toIpv4) { // an IPv4 view of the IPv6 server's address
                byte[] ip6 = fi.sip.length == 16 ? fi.sip : new byte[16];
                fi.sip = java.util.Arrays.copyOfRange(ip6, 0, 4);
                fi.sport = (ip6[8] & 0xFF) | (ip6[9] & 0xFF) << 8;
            } else {
                fi.sport = fi.unionSport;
            }
        }
    }

    void connectExit(ParseContext c) {
        if (c.fd == null) {
            return;
        }
        long res = c.num("res", -1);
        if (res < 0 && res != -115) {
            return; // failed connects leave the fd as it was (EINPROGRESS counts as connected)
        }
        c.fd.connected = true;
        byte[] tuple = c.bytes("tuple");
        if (tuple == null || tuple.length == 0) {
            return;
        }
        fillClientSocket(c.fd, tuple);
    }

    private void fillClientSocket(FdInfo fi, byte[] tuple) {
        if (tuple[0] == 2 || tuple[0] == 10) {
            // sinsp_fdinfo_t::is_udp_socket is true of IPv4 sockets only: a bound IPv6 one keeps its order
            if (SocketTuples.setTuple(fi, tuple) && fi.role == FdInfo.Role.SERVER && fi.kind == FdKind.IPV4_SOCK
                    && fi.l4proto == FdInfo.L4_UDP) {
                SocketTuples.swap(fi);
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

    void acceptExit(ParseContext c) {
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
            if (!SocketTuples.setTuple(fi, p)) {
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
        fi.connected = true;
        c.t.fdTable().put(fd, fi);
        c.fd = fi;
    }

    void rwExit(ParseContext c, String name) {
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
        // sinsp_fdinfo_t::is_tcp_socket: IPv4 connections only; IPv6 and listening sockets take the tuple
        boolean tcp = fi.kind == FdKind.IPV4_SOCK && fi.l4proto == FdInfo.L4_TCP;
        if (reads && (name.equals("recvfrom") || name.equals("recvmsg"))) {
            if (fi.name.isEmpty() || !tcp) {
                byte[] tuple = c.bytes("tuple");
                if (tuples.updateFd(fi, tuple)) {
                    renameAfterUpdate(c, fi, tuple, true);
                }
            }
        } else if (!reads && (name.equals("sendto") || name.equals("sendmsg"))) {
            if (fi.name.isEmpty() || !tcp) {
                if (c.enter == null) {
                    return;
                }
                int ti = ParseContext.enterIdx(c.enter, "tuple");
                byte[] tuple = ti < 0 ? null : c.enter.bytes(ti);
                if (tuples.updateFd(fi, tuple)) {
                    renameAfterUpdate(c, fi, tuple, false);
                }
            }
        }
    }

    private void renameAfterUpdate(ParseContext c, FdInfo fi, byte[] tuple, boolean incoming) {
        if (fi.kind == FdKind.IPV4_SOCK || fi.kind == FdKind.IPV6_SOCK) {
            if (fi.role == FdInfo.Role.NONE) {
                fi.role = guessRole(c.t, fi, incoming);
            }
            if (incoming ? fi.role == FdInfo.Role.CLIENT : fi.role == FdInfo.Role.SERVER) {
                SocketTuples.swap(fi);
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
}
