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
        final int stop = to - m - 7;
        int i = from;
        while (i <= stop) {
            i = nextCandidate(b, i, stop, first, last, m - 1);
            if (i > stop) break;
            long z = (b.getLong(i) ^ first) | (b.getLong(i + m - 1) ^ last);
            if (!candidates(b, i, (z - LO) & ~z & HI, sink)) return false;
            i += 8;
        }
        byte b0 = p[0];
        for (i = Math.max(i, from); i <= to - m; i++) {
            if (b.get(i) == b0 && verify(b, i) && !sink.hit(i)) return false;
        }
        return true;
    }

    /**
     * The first step offset at or after {@code i} where some of its eight positions have both
     * the first and the last byte right, or a value past {@code stop}. Kept free of calls so
     * the JIT compiles it to a tight loop (a call inside costs this loop a factor of three).
     */
    private static int nextCandidate(ByteBuffer b, int i, int stop, long f, long l, int lastOff) {
        while (i <= stop) {
            long z = (b.getLong(i) ^ f) | (b.getLong(i + lastOff) ^ l);
            if (((z - LO) & ~z & HI) != 0) return i;
            i += 8;
        }
        return i;
    }

    private boolean candidates(ByteBuffer b, int i, long t, Sink sink) {
        while (t != 0) {
            int j = i + (Long.numberOfTrailingZeros(t) >>> 3);
            if (verify(b, j) && !sink.hit(j)) return false;
            t &= t - 1;
        }
        return true;
    }

    /** Full compare: the SWAR step can flag a position falsely (a borrow from a lower byte). */
    private boolean verify(ByteBuffer b, int at) {
        for (int k = 0; k < p.length; k++) if (b.get(at + k) != p[k]) return false;
        return true;
    }
}
