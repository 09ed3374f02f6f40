package dev.stasis.capture.record;

import dev.stasis.capture.scap.RawEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds one event's parameter values in the driver's encodings (little-endian numbers, NUL-terminated strings). */
final class Params {
    /** libscap's address families in socket tuples and addresses (PPM_AF_*). */
    static final int PPM_AF_UNIX = 1, PPM_AF_INET = 2, PPM_AF_INET6 = 10;

    private final List<byte[]> values = new ArrayList<>(20);

    Params i64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        values.add(b);
        return this;
    }

    Params u32(long v) {
        values.add(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
        return this;
    }

    Params u16(int v) {
        values.add(new byte[] {(byte) v, (byte) (v >>> 8)});
        return this;
    }

    Params u8(int v) {
        values.add(new byte[] {(byte) v});
        return this;
    }

    /** A string parameter (CHARBUF, FSPATH): UTF-8 and a terminating NUL. */
    Params str(String s) {
        return str(s.getBytes(StandardCharsets.UTF_8));
    }

    Params str(byte[] s) {
        byte[] b = new byte[s.length + 1];
        System.arraycopy(s, 0, b, 0, s.length);
        values.add(b);
        return this;
    }

    /** A byte buffer parameter (BYTEBUF) as is. */
    Params buf(byte[] b) {
        values.add(b);
        return this;
    }

    /** An empty parameter (the driver's way of saying "no value", e.g. an unknown tuple). */
    Params empty() {
        values.add(new byte[0]);
        return this;
    }

    /** An IPv4/IPv6 socket tuple: family, source address and port, destination address and port. */
    Params tuple(byte[] sip, int sport, byte[] dip, int dport) {
        boolean v6 = sip.length == 16 || dip.length == 16;
        byte[] s = v6 ? v6(sip) : sip;
        byte[] d = v6 ? v6(dip) : dip;
        byte[] b = new byte[1 + s.length + 2 + d.length + 2];
        b[0] = (byte) (v6 ? PPM_AF_INET6 : PPM_AF_INET);
        System.arraycopy(s, 0, b, 1, s.length);
        b[1 + s.length] = (byte) sport;
        b[2 + s.length] = (byte) (sport >>> 8);
        System.arraycopy(d, 0, b, 3 + s.length, d.length);
        b[3 + s.length + d.length] = (byte) dport;
        b[4 + s.length + d.length] = (byte) (dport >>> 8);
        values.add(b);
        return this;
    }

    /** A socket address: family and IP address and port, or family and unix path. */
    Params sockaddr(StraceArgs.SockAddr a) {
        if (a == null) {
            return empty();
        }
        if (a.path() != null) {
            byte[] p = a.path().getBytes(StandardCharsets.UTF_8);
            byte[] b = new byte[1 + p.length + 1];
            b[0] = PPM_AF_UNIX;
            System.arraycopy(p, 0, b, 1, p.length);
            values.add(b);
            return this;
        }
        byte[] ip = a.ip();
        byte[] b = new byte[1 + ip.length + 2];
        b[0] = (byte) (ip.length == 16 ? PPM_AF_INET6 : PPM_AF_INET);
        System.arraycopy(ip, 0, b, 1, ip.length);
        b[1 + ip.length] = (byte) a.port();
        b[2 + ip.length] = (byte) (a.port() >>> 8);
        values.add(b);
        return this;
    }

    /** An IPv4 address as an IPv4-mapped IPv6 one, when the other end of a tuple is IPv6. */
    private static byte[] v6(byte[] ip) {
        if (ip.length == 16) {
            return ip;
        }
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(ip, 0, b, 12, 4);
        return b;
    }

    RawEvent event(long ts, long tid, int type) {
        return RawEvent.of(0, 0, ts, tid, type, values.toArray(new byte[0][]));
    }
}
