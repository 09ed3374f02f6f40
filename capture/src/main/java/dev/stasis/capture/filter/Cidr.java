package dev.stasis.capture.filter;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address;
 * {@code bare}: written without a prefix.
 */
public record Cidr(byte[] network, int prefix, boolean bare) {
    public Cidr(byte[] network, int prefix) {
        this(network, prefix, false);
    }

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
        // sysdig 0.29.3 takes an IPv6 network without a prefix as its /64 (ipv6addr::in_subnet)
        if (prefix < 0) prefix = bytes.length == 16 ? 64 : max;
        if (prefix > max) return null;
        return new Cidr(bytes, prefix, slash < 0);
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
        if (a.length != network.length) return acrossFamilies(a);
        int bits = prefix;
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (network[i] & mask)) return false;
        }
        return true;
    }

    /**
     * sysdig 0.29.3 (libsinsp e5c53d64, compare_net) reads an IPv4 network's stored form, the
     * address and then the netmask (8 bytes), as the first 64 bits of an IPv6 address, which it
     * compares with an IPv6 socket's first 64 bits (ipv6addr::in_subnet); a bare IPv6 value's first
     * 8 bytes against an IPv4 socket are taken as address and mask. So fd.net=0.0.0.0/0 matches ::1.
     * An IPv6 network with a prefix (which sysdig 0.29.3 cannot parse) follows newer libsinsp:
     * never an IPv4 address.
     */
    private boolean acrossFamilies(byte[] a) {
        if (a.length == 16 && network.length == 4) {
            byte[] stored = new byte[8];
            System.arraycopy(network, 0, stored, 0, 4);
            System.arraycopy(mask(4, prefix), 0, stored, 4, 4);
            return java.util.Arrays.equals(a, 0, 8, stored, 0, 8);
        }
        if (a.length == 4 && network.length == 16 && bare) {
            for (int i = 0; i < 4; i++) {
                if ((a[i] & network[4 + i]) != (network[i] & network[4 + i])) return false;
            }
            return true;
        }
        return false;
    }

    private static byte[] mask(int len, int prefix) {
        byte[] m = new byte[len];
        for (int i = 0, bits = prefix; i < len && bits > 0; i++, bits -= 8) {
            m[i] = (byte) (bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff);
        }
        return m;
    }
}
