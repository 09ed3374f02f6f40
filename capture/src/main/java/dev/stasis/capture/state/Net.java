package dev.stasis.capture.state;

import dev.stasis.vocabulary.IpAddresses;

/** Address formatting as sysdig prints it (inet_ntop for IPv6, dotted quads for IPv4). */
public final class Net {
    private Net() {}

    /** Formats a 4- or 16-byte network-order address; empty for anything else. */
    public static String ip(byte[] a) {
        if (a == null) {
            return "";
        }
        return IpAddresses.inetNtop(a); // sysdig prints libsinsp's inet_ntop text
    }

    /** True for ::ffff:a.b.c.d addresses and for :: (libsinsp's is_ipv4_mapped_ipv6). */
    public static boolean isIpv4Mapped(byte[] a, int off) {
        for (int i = 0; i < 10; i++) {
            if (a[off + i] != 0) {
                return false;
            }
        }
        if (a[off + 10] == (byte) 0xFF && a[off + 11] == (byte) 0xFF) {
            return true;
        }
        // libsinsp's is_ipv4_mapped_ipv6 takes the all-zero address (::) for IPv4 too
        for (int i = 10; i < 16; i++) {
            if (a[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Parses a dotted IPv4 or an IPv6 literal into network-order bytes; null if it is not an address. */
    public static byte[] parse(String s) {
        if (s == null || s.isEmpty() || !s.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return java.net.InetAddress.getByName(s).getAddress();
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** A dotted IPv4 address as 4 bytes; all zeros when empty or not one (libsinsp's m_container_ip 0). */
    static byte[] ipv4OrZero(String s) {
        if (s == null || !s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return new byte[4];
        }
        byte[] a = parse(s);
        return a == null || a.length != 4 ? new byte[4] : a;
    }
}
