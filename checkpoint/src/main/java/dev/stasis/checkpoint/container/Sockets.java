package dev.stasis.checkpoint.container;

import dev.stasis.vocabulary.IpAddresses;
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
        return b.length == 4 || b.length == 16 ? IpAddresses.goNetIp(b) : ""; // checkpointctl's (Go's) text
    }

    /** An abstract unix name starts with NUL: shown with a leading '@' as ss does. */
    static String unixName(byte[] name) {
        if (name.length == 0) return "";
        if (name[0] == 0) return "@" + new String(name, 1, name.length - 1, StandardCharsets.UTF_8).replace('\0', '@');
        return new String(name, StandardCharsets.UTF_8);
    }
}
