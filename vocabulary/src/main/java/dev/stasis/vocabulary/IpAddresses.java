package dev.stasis.vocabulary;

/**
 * IP addresses as text, the one formatter. Addresses are network-order bytes (4 for IPv4,
 * 16 for IPv6). Three tools whose output stasis reproduces byte for byte print IPv6
 * differently, so each convention is a method named after whose it is; all three compress
 * the first longest run of two or more zero groups into {@code ::} and print the groups in
 * lower-case hex without leading zeros. They differ only on addresses with an IPv4 tail:
 * <pre>
 *   address            inetNtop (sysdig)     pythonIpaddress (crit)   goNetIp (checkpointctl)
 *   ::ffff:1.2.3.4     ::ffff:1.2.3.4        ::ffff:102:304           1.2.3.4
 *   ::1.2.3.4          ::1.2.3.4             ::102:304                ::102:304
 * </pre>
 */
public final class IpAddresses {
    private IpAddresses() {}

    /**
     * glibc's {@code inet_ntop}, which libsinsp calls: sysdig's and Falco's fields and lines
     * ({@code capture}). IPv4-mapped ({@code ::ffff:0:0/96}) and IPv4-compatible addresses
     * end in a dotted quad. An address of any other length is the empty string.
     */
    public static String inetNtop(byte[] a) {
        if (a.length == 4) return dotted(a, 0);
        if (a.length != 16) return "";
        int[] g = groups(a);
        int[] run = longestZeroRun(g);
        // inet_ntop6: "Is this address an encapsulated IPv4?" (::a.b.c.d or ::ffff:a.b.c.d)
        boolean v4Tail = run[0] == 0 && (run[1] == 6 || (run[1] == 5 && g[5] == 0xffff));
        return hex(g, run, v4Tail ? 6 : 8) + (v4Tail ? dotted(a, 12) : "");
    }

    /**
     * Python's {@code ipaddress.IPv6Address(...).compressed} as of Python 3.11 (Debian 12's),
     * which crit's {@code --pretty} prints (pycriu's pb2dict): hex groups only, never a dotted
     * tail (Python 3.13 changed IPv4-mapped addresses; crit on this machine runs 3.11).
     */
    public static String pythonIpaddress(byte[] a16) {
        int[] g = groups(a16);
        return hex(g, longestZeroRun(g), 8);
    }

    /**
     * Go's {@code net.IP.String()}, as checkpointctl prints socket addresses (inspect's JSON):
     * an IPv4-mapped IPv6 address as the plain dotted quad, any other IPv6 address in hex groups.
     */
    public static String goNetIp(byte[] a) {
        if (a.length == 4) return dotted(a, 0);
        if (a.length != 16) return "";
        if (ipv4Mapped(a)) return dotted(a, 12);
        return pythonIpaddress(a);
    }

    /** {@code a.b.c.d} from the four bytes at {@code off}. */
    public static String dotted(byte[] a, int off) {
        return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "." + (a[off + 3] & 0xff);
    }

    /** True for {@code ::ffff:a.b.c.d}. */
    public static boolean ipv4Mapped(byte[] a16) {
        for (int i = 0; i < 10; i++) if (a16[i] != 0) return false;
        return (a16[10] & 0xff) == 0xff && (a16[11] & 0xff) == 0xff;
    }

    private static int[] groups(byte[] a) {
        if (a.length != 16) throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + a.length);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        return g;
    }

    /** {start, length} of the first longest run of zero groups, or {-1, 0} when no run has two. */
    private static int[] longestZeroRun(int[] g) {
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        return bestLen < 2 ? new int[] {-1, 0} : new int[] {bestStart, bestLen};
    }

    /**
     * Groups {@code [0, end)} in hex with the run compressed; when {@code end} is 6 the text
     * ends in a separator, ready for a dotted tail.
     */
    private static String hex(int[] g, int[] run, int end) {
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < end; i++) {
            if (i == run[0]) {
                sb.append("::");
                i += run[1] - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        if (end == 6 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
        return sb.toString();
    }
}
