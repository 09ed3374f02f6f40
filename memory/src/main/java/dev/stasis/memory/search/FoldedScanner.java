package dev.stasis.memory.search;

import java.nio.ByteBuffer;

/**
 * Case-insensitive (ASCII letters) occurrences of a byte string, with the same eight-positions-a-step
 * SWAR filter as {@link LiteralScanner}: when the pattern's first (last) byte is a letter, the
 * loaded bytes are OR-ed with 0x20 before the compare, which maps both cases of that letter onto
 * its lower case (and a few non-letters onto it too; the full folded compare drops those).
 */
final class FoldedScanner {
    private static final long LO = 0x0101010101010101L;
    private static final long HI = 0x8080808080808080L;
    private static final long CASE = 0x2020202020202020L;

    private final byte[] lower;
    private final long first, last, firstMask, lastMask;

    FoldedScanner(byte[] pattern) {
        if (pattern.length == 0) throw new IllegalArgumentException("empty pattern");
        lower = new byte[pattern.length];
        for (int i = 0; i < pattern.length; i++) lower[i] = fold(pattern[i]);
        byte f = lower[0], l = lower[lower.length - 1];
        first = (f & 0xffL) * LO;
        last = (l & 0xffL) * LO;
        firstMask = isLetter(f) ? CASE : 0;
        lastMask = isLetter(l) ? CASE : 0;
    }

    int length() {
        return lower.length;
    }

    static byte fold(byte c) {
        return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }

    private static boolean isLetter(byte lowerCase) {
        return lowerCase >= 'a' && lowerCase <= 'z';
    }

    /** Scans {@code b[from, to)} for complete matches; the sink's offsets increase. */
    boolean scan(ByteBuffer b, int from, int to, LiteralScanner.Sink sink) {
        final int m = lower.length;
        final int stop = to - m - 7;
        int i = from;
        while (i <= stop) {
            i = nextCandidate(b, i, stop, m - 1);
            if (i > stop) break;
            long z = ((b.getLong(i) | firstMask) ^ first) | ((b.getLong(i + m - 1) | lastMask) ^ last);
            long t = (z - LO) & ~z & HI;
            while (t != 0) {
                int j = i + (Long.numberOfTrailingZeros(t) >>> 3);
                if (verify(b, j) && !sink.hit(j)) return false;
                t &= t - 1;
            }
            i += 8;
        }
        for (i = Math.max(i, from); i <= to - m; i++) {
            if (verify(b, i) && !sink.hit(i)) return false;
        }
        return true;
    }

    /** The first step at or after {@code i} where some position may match at both ends, or a value past {@code stop}. */
    private int nextCandidate(ByteBuffer b, int i, int stop, int lastOff) {
        final long f = first, l = last, fm = firstMask, lm = lastMask;
        while (i <= stop) {
            long z = ((b.getLong(i) | fm) ^ f) | ((b.getLong(i + lastOff) | lm) ^ l);
            if (((z - LO) & ~z & HI) != 0) return i;
            i += 8;
        }
        return i;
    }

    /** Full folded compare: the SWAR filter can flag a position falsely (a borrow, or a non-letter OR-ed into a letter). */
    private boolean verify(ByteBuffer b, int at) {
        for (int k = 0; k < lower.length; k++) if (fold(b.get(at + k)) != lower[k]) return false;
        return true;
    }
}
