package dev.stasis.capture.record;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Numeric IP addresses as strace and /proc print them, to network-order bytes. */
final class Ip {
    private Ip() {}

    /** "127.0.0.1", "::1" or "[::1]" to 4 or 16 bytes; null if not a numeric address. */
    static byte[] parse(String s) {
        String a = s.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.isEmpty() || !(a.indexOf(':') >= 0 || a.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            return null;
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(a).getAddress(); // numeric: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
