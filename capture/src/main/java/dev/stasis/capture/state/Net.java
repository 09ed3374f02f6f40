package dev.stasis.capture.state;

/** Address formatting as sysdig prints it (inet_ntop for IPv6, dotted quads for IPv4). */
public final class Net {
    private Net() {}

    /** Formats a 4- or 16-byte network-order address; empty for anything else. */
    public static String ip(byte[] a) {
        if (a == null) {
            return "";
        }
        if (a.length == 4) {
            return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
        }
        if (a.length == 16) {
            return ipv6(a);
        }
        return "";
    }

    /** True for ::ffff:a.b.c.d addresses. */
    public static boolean isIpv4Mapped(byte[] a, int off) {
        for (int i = 0; i < 10; i++) {
            if (a[off + i] != 0) {
                return false;
            }
        }
        return a[off + 10] == (byte) 0xFF && a[off + 11] == (byte) 0xFF;
    }

    /** glibc inet_ntop: longest run (>= 2) of zero groups compressed, IPv4-mapped/compatible tails dotted. */
    static String ipv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xFF) << 8 | (a[2 * i + 1] & 0xFF);
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLen) {
                if (i == bestStart) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            boolean dottedTail = i == 6 && bestStart == 0
                    && (bestLen == 6 || (bestLen == 5 && g[5] == 0xFFFF));
            if (dottedTail) {
                sb.append(a[12] & 0xFF).append('.').append(a[13] & 0xFF).append('.').append(a[14] & 0xFF)
                        .append('.').append(a[15] & 0xFF);
                return sb.toString();
            }
            sb.append(Integer.toHexString(g[i]));
        }
        if (bestStart >= 0 && bestStart + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
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
}
