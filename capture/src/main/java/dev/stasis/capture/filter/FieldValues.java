package dev.stasis.capture.filter;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Prints field values the way sysdig's {@code -p} does. */
public final class FieldValues {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private FieldValues() {}

    /** The text of a value, or {@code <NA>} for null as sysdig prints a missing field. */
    public static String format(Object value, FieldType type) {
        if (value == null) return "<NA>";
        if (value instanceof AnyOf any) return any.values().isEmpty() ? "<NA>" : format(any.values().get(0), type);
        return switch (value) {
            case String s -> s;
            case Boolean b -> b ? "true" : "false";
            case Long l -> type == FieldType.UINT ? Long.toUnsignedString(l) : Long.toString(l);
            case InetAddress a -> ip(a);
            case byte[] b -> printable(b);
            default -> value.toString();
        };
    }

    /** inet_ntop's text: IPv6 with the longest run of two or more zero groups as {@code ::}. */
    public static String ip(InetAddress address) {
        if (!(address instanceof Inet6Address)) return address.getHostAddress();
        byte[] b = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
        if (mapped) {
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
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
        if (bestLen < 2) bestStart = -1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Buffers as sysdig prints them by default: printable ASCII kept, the rest as dots. */
    public static String printable(byte[] data) {
        StringBuilder sb = new StringBuilder(data.length);
        for (byte x : data) {
            int c = x & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return sb.toString();
    }

    /** sysdig's %evt.time: the local wall clock with nanoseconds. */
    public static String clock(long tsNanos, ZoneId zone) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(tsNanos, 1_000_000_000L), Math.floorMod(tsNanos, 1_000_000_000L));
        return CLOCK.format(t.atZone(zone)) + String.format(".%09d", t.getNano());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
