package dev.stasis.memory.search;

import java.nio.ByteBuffer;

/**
 * Finds every occurrence of a byte string in a buffer. Eight positions are
 * tested per step: a SWAR compare of the pattern's first and last bytes at
 * eight consecutive offsets (two unaligned 64-bit loads), and only positions
 * where both agree are compared in full. On memory pages that is one full
 * compare per ~65 000 bytes for a typical pattern, so the loop runs at
 * memory speed.
 */
final class LiteralScanner {
    private static final long LO = 0x0101010101010101L;
    private static final long HI = 0x8080808080808080L;

    /** Receives match offsets in the buffer, in increasing order; returns false to stop. */
    interface Sink {
        boolean hit(int offset);
    }

    private final byte[] p;
    private final long first, last;

    LiteralScanner(byte[] pattern) {
        if (pattern.length == 0) throw new IllegalArgumentException("empty pattern");
        this.p = pattern.clone();
        this.first = (p[0] & 0xffL) * LO;
        this.last = (p[p.length - 1] & 0xffL) * LO;
    }

    int length() {
        return p.length;
    }

    /** Scans {@code b[from, to)} (little-endian order expected) for complete matches. */
    boolean scan(ByteBuffer b, int from, int to, Sink sink) {
        final int m = p.length;
        int i = from;
        final int stop = to - m - 7;
        final long f = first, l = last;
        while (i <= stop) {
            long z = (b.getLong(i) ^ f) | (b.getLong(i + m - 1) ^ l);
            long t = (z - LO) & ~z & HI;
            while (t != 0) {
                int j = i + (Long.numberOfTrailingZeros(t) >>> 3);
                if (verify(b, j) && !sink.hit(j)) return false;
                t &= t - 1;
            }
            i += 8;
        }
        byte b0 = p[0];
        for (; i <= to - m; i++) {
            if (b.get(i) == b0 && verify(b, i) && !sink.hit(i)) return false;
        }
        return true;
    }

    /** Full compare: the SWAR step can flag a position falsely (a borrow from a lower byte). */
    private boolean verify(ByteBuffer b, int at) {
        for (int k = 0; k < p.length; k++) if (b.get(at + k) != p[k]) return false;
        return true;
    }
}
