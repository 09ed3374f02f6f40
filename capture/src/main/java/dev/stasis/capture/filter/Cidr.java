package dev.stasis.capture.filter;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address. */
public record Cidr(byte[] network, int prefix) {
    /** Parses an address or CIDR literal without any DNS lookup; null if it is not one. */
    public static Cidr parse(String text) {
        String addr = text;
        int prefix = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addr = text.substring(0, slash);
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        byte[] bytes = parseAddress(addr);
        if (bytes == null) return null;
        int max = bytes.length * 8;
        if (prefix < 0) prefix = max;
        if (prefix > max) return null;
        return new Cidr(bytes, prefix);
    }

    /** A literal IPv4 or IPv6 address as bytes (4 or 16), or null. Never resolves names. */
    public static byte[] parseAddress(String text) {
        if (text.isEmpty()) return null;
        if (text.indexOf(':') >= 0) {
            if (!text.matches("[0-9a-fA-F:.]+")) return null;
        } else if (!text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(text).getAddress();
            if (text.indexOf(':') >= 0 && b.length == 4) {
                // Java folds ::ffff:a.b.c.d to IPv4; libsinsp keeps the 16-byte form.
                byte[] v6 = new byte[16];
                v6[10] = (byte) 0xff;
                v6[11] = (byte) 0xff;
                System.arraycopy(b, 0, v6, 12, 4);
                return v6;
            }
            return b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        int bits = prefix;
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (network[i] & mask)) return false;
        }
        return true;
    }
}
