package dev.stasis.capture.filter;

import dev.stasis.vocabulary.IpAddresses;
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
            case Long l when type == FieldType.PADDED_TIME -> String.format("%09d", l);
            case Long l -> type == FieldType.UINT ? Long.toUnsignedString(l) : Long.toString(l);
            case InetAddress a -> ip(a);
            case byte[] b -> printable(b);
            default -> value.toString();
        };
    }

    /** inet_ntop's text: IPv6 with the longest run of two or more zero groups as {@code ::}. */
    public static String ip(InetAddress address) {
        if (!(address instanceof Inet6Address)) return address.getHostAddress();
        return IpAddresses.inetNtop(address.getAddress());
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
