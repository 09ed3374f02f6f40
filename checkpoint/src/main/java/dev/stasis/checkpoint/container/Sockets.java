package dev.stasis.checkpoint.container;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Socket numbers to the names checkpointctl (go-criu) prints. */
final class Sockets {
    private Sockets() {}

    static String family(int f) {
        return switch (f) {
            case 1 -> "UNIX";
            case 2 -> "IPV4";
            case 10 -> "IPV6";
            case 16 -> "NETLINK";
            case 17 -> "PACKET";
            default -> "AF_" + f;
        };
    }

    static String type(int t) {
        return switch (t) {
            case 1 -> "STREAM";
            case 2 -> "DGRAM";
            case 3 -> "RAW";
            case 4 -> "RDM";
            case 5 -> "SEQPACKET";
            case 10 -> "PACKET";
            default -> "TYPE_" + t;
        };
    }

    static String protocol(int p) {
        return switch (p) {
            case 1 -> "ICMP";
            case 2 -> "IGMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 58 -> "ICMPV6";
            case 136 -> "UDPLITE";
            case 255 -> "RAW";
            default -> "PROTO_" + p;
        };
    }

    static String state(int s) {
        return switch (s) {
            case 1 -> "ESTABLISHED";
            case 2 -> "SYN_SENT";
            case 3 -> "SYN_RECEIVED";
            case 4 -> "FIN_WAIT_1";
            case 5 -> "FIN_WAIT_2";
            case 6 -> "TIME_WAIT";
            case 7 -> "CLOSE";
            case 8 -> "CLOSE_WAIT";
            case 9 -> "LAST_ACK";
            case 10 -> "LISTEN";
            case 11 -> "CLOSING";
            case 12 -> "NEW_SYN_RECV";
            default -> "STATE_" + s;
        };
    }

    /** CRIU keeps addresses as u32 words whose little-endian bytes are the address in network order. */
    static String address(List<Integer> words, int family) {
        if (words.isEmpty()) return "";
        byte[] b = new byte[words.size() * 4];
        for (int i = 0; i < words.size(); i++) {
            int w = words.get(i);
            b[i * 4] = (byte) w;
            b[i * 4 + 1] = (byte) (w >>> 8);
            b[i * 4 + 2] = (byte) (w >>> 16);
            b[i * 4 + 3] = (byte) (w >>> 24);
        }
        if (b.length == 4) return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        if (b.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
            }
            return ipv6(b);
        }
        return "";
    }

    /** RFC 5952 text: lower-case hex, the longest run (>= 2) of zero groups as "::". */
    static String ipv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') s.append(':');
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** An abstract unix name starts with NUL: shown with a leading '@' as ss does. */
    static String unixName(byte[] name) {
        if (name.length == 0) return "";
        if (name[0] == 0) return "@" + new String(name, 1, name.length - 1, StandardCharsets.UTF_8).replace('\0', '@');
        return new String(name, StandardCharsets.UTF_8);
    }
}
