package dev.stasis.memory.search;

import java.nio.ByteBuffer;

/** A window of a byte buffer seen as ISO-8859-1 characters, so java.util.regex can match bytes without copying. */
final class ByteChars implements CharSequence {
    private final ByteBuffer b;
    private final int from, to;

    ByteChars(ByteBuffer b, int from, int to) {
        this.b = b;
        this.from = from;
        this.to = to;
    }

    @Override
    public int length() {
        return to - from;
    }

    @Override
    public char charAt(int index) {
        return (char) (b.get(from + index) & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new ByteChars(b, from + start, from + end);
    }

    @Override
    public String toString() {
        char[] c = new char[length()];
        for (int i = 0; i < c.length; i++) c[i] = charAt(i);
        return new String(c);
    }
}
