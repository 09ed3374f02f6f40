package dev.stasis.memory.search;

import java.nio.ByteBuffer;

/** Case-insensitive (ASCII letters) occurrences of a byte string; a byte loop with a first-byte table. */
final class FoldedScanner {
    private final byte[] lower;
    private final boolean[] startsWith = new boolean[256];

    FoldedScanner(byte[] pattern) {
        lower = new byte[pattern.length];
        for (int i = 0; i < pattern.length; i++) lower[i] = fold(pattern[i]);
        for (int c = 0; c < 256; c++) startsWith[c] = fold((byte) c) == lower[0];
    }

    int length() {
        return lower.length;
    }

    static byte fold(byte c) {
        return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }

    boolean scan(ByteBuffer b, int from, int to, LiteralScanner.Sink sink) {
        int m = lower.length;
        outer:
        for (int i = from; i <= to - m; i++) {
            if (!startsWith[b.get(i) & 0xff]) continue;
            for (int k = 1; k < m; k++) if (fold(b.get(i + k)) != lower[k]) continue outer;
            if (!sink.hit(i)) return false;
        }
        return true;
    }
}
