package dev.stasis.memory.sweep;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds many literals in a buffer in one pass. A 64 Ki-bit table of byte pairs
 * rejects almost every position with one lookup (process memory is mostly
 * zeros, binary and ordinary text); at a position whose two bytes start some
 * literal, only those literals are compared. When every literal has three bytes
 * or more, only every other position is looked up, in a table of the pairs at
 * a literal's offsets 0 and 1 (a literal starting at p covers the pair at p or
 * p + 1, whichever is looked at), four pairs from one 8-byte load: half the
 * lookups and an eighth of the loads of a byte-by-byte loop. At one position,
 * literals are reported in the order they were given.
 */
final class MultiLiteral {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Receives literal {@code k} (its index in the list given) at buffer index {@code at}. */
    interface Sink {
        void found(int k, int at);
    }

    private final byte[][] literals;
    /** Pairs (first byte | second byte << 8) that start a literal. */
    private final long[] pairs = new long[1024];
    /** Pairs at a literal's offset 0 or 1 (used when every literal has at least three bytes). */
    private final long[] covering = new long[1024];
    private final boolean skipping;
    /** Literal indexes by their first two bytes (first byte | second << 8), ascending; null where none. */
    private final int[][] byPair = new int[65536][];
    /** Literals of one byte, by that byte: they also start every pair their byte starts. */
    private final int[][] single = new int[256][];

    MultiLiteral(List<byte[]> literals) {
        this.literals = literals.stream().map(byte[]::clone).toArray(byte[][]::new);
        List<List<Integer>> pairLists = new ArrayList<>(65536);
        for (int i = 0; i < 65536; i++) pairLists.add(null);
        List<List<Integer>> singles = new ArrayList<>(256);
        for (int i = 0; i < 256; i++) singles.add(null);
        int shortest = Integer.MAX_VALUE;
        for (int k = 0; k < this.literals.length; k++) {
            byte[] l = this.literals[k];
            if (l.length == 0) throw new IllegalArgumentException("empty literal");
            shortest = Math.min(shortest, l.length);
            int first = l[0] & 0xff;
            if (l.length == 1) {
                add(singles, first, k);
                for (int second = 0; second < 256; second++) add(pairLists, first | second << 8, k);
            } else {
                add(pairLists, first | (l[1] & 0xff) << 8, k);
            }
            if (l.length >= 3) {
                for (int o = 0; o < 2; o++) {
                    int v = (l[o] & 0xff) | (l[o + 1] & 0xff) << 8;
                    covering[v >>> 6] |= 1L << v;
                }
            }
        }
        this.skipping = shortest >= 3 && shortest != Integer.MAX_VALUE;
        for (int v = 0; v < 65536; v++) {
            List<Integer> ks = pairLists.get(v);
            if (ks == null) continue;
            byPair[v] = ks.stream().mapToInt(Integer::intValue).sorted().toArray();
            pairs[v >>> 6] |= 1L << v;
        }
        for (int b = 0; b < 256; b++) if (singles.get(b) != null) single[b] = singles.get(b).stream().mapToInt(Integer::intValue).toArray();
    }

    private static void add(List<List<Integer>> lists, int at, int k) {
        if (lists.get(at) == null) lists.set(at, new ArrayList<>(2));
        lists.get(at).add(k);
    }

    int size() {
        return literals.length;
    }

    int length(int k) {
        return literals[k].length;
    }

    /** Reports every literal starting in {@code b[from, to)} and ending within {@code b[0, limit)}, by position. */
    void scan(byte[] b, int from, int to, int limit, Sink sink) {
        if (literals.length == 0) return;
        if (skipping) {
            scanSkipping(b, from, to, limit, sink);
            return;
        }
        final long[] t = pairs;
        final int end = Math.min(to, limit - 1);          // positions followed by a second byte
        for (int i = from; i < end; i++) {
            int v = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
            if ((t[v >>> 6] & 1L << v) == 0) continue;
            at(b, i, limit, v, sink);
        }
        int last = limit - 1;
        if (last >= from && last < to && single[b[last] & 0xff] != null) {
            for (int k : single[b[last] & 0xff]) sink.found(k, last);
        }
    }

    /** Looks up the pairs at {@code from + 1, from + 3, ...}; a hit at i means a literal may start at i - 1 or i. */
    private void scanSkipping(byte[] b, int from, int to, int limit, Sink sink) {
        final long[] t = covering;
        int i = from + 1;
        for (; i + 8 <= limit && i + 6 < to; i += 8) {
            long x = (long) LONG.get(b, i);
            int v0 = (int) x & 0xffff, v1 = (int) (x >>> 16) & 0xffff, v2 = (int) (x >>> 32) & 0xffff, v3 = (int) (x >>> 48);
            if ((((t[v0 >>> 6] >>> v0) | (t[v1 >>> 6] >>> v1) | (t[v2 >>> 6] >>> v2) | (t[v3 >>> 6] >>> v3)) & 1) == 0) continue;
            for (int j = 0; j < 8; j += 2) step(b, i + j, from, to, limit, sink);
        }
        for (; i - 1 < to; i += 2) step(b, i, from, to, limit, sink);
    }

    /** Positions i - 1 and i (those in {@code [from, to)}) when the pair at i is one a literal covers. */
    private void step(byte[] b, int i, int from, int to, int limit, Sink sink) {
        if (i + 1 >= limit) return;                        // a literal of three bytes or more starting at i - 1 would end past the limit
        int v = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
        if ((covering[v >>> 6] & 1L << v) == 0) return;
        int p = i - 1;
        if (p >= from && p < to) at(b, p, limit, (b[p] & 0xff) | (b[p + 1] & 0xff) << 8, sink);
        if (i < to) at(b, i, limit, v, sink);
    }

    /** The literals starting at {@code i}, whose first pair is {@code v}. */
    private void at(byte[] b, int i, int limit, int v, Sink sink) {
        int[] ks = byPair[v];
        if (ks == null) return;
        for (int k : ks) if (matches(b, i, limit, literals[k])) sink.found(k, i);
    }

    private static boolean matches(byte[] b, int at, int limit, byte[] l) {
        if (at + l.length > limit) return false;
        for (int j = 2; j < l.length; j++) if (b[at + j] != l[j]) return false;
        return true;
    }
}
