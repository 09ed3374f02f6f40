package dev.stasis.capture.state;

import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A hash map from long keys (tids, fd numbers) to objects: open addressing with
 * linear probing and backward-shift deletion, so lookups on the per-event path
 * neither box the key nor allocate. Iteration order is the table's, not insertion.
 */
final class LongMap<V> {
    private long[] keys;
    private Object[] vals;
    private int size;
    private int mask;

    LongMap() {
        this(16);
    }

    LongMap(int capacity) {
        int cap = Integer.highestOneBit(Math.max(4, capacity - 1)) << 1;
        keys = new long[cap];
        vals = new Object[cap];
        mask = cap - 1;
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * The probe every operation shares: the slot holding {@code key}, or, when it is absent,
     * {@code ~slot} of the empty slot that ends its probe run (where it would be inserted).
     */
    private int find(long key) {
        int i = hash(key) & mask;
        while (vals[i] != null) {
            if (keys[i] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return ~i;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        int i = find(key);
        return i < 0 ? null : (V) vals[i];
    }

    /** Associates {@code value} (not null) with {@code key}; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("null value");
        }
        int i = find(key);
        if (i >= 0) {
            Object old = vals[i];
            vals[i] = value;
            return (V) old;
        }
        keys[~i] = key;
        vals[~i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    V remove(long key) {
        int i = find(key);
        if (i < 0) {
            return null;
        }
        Object old = vals[i];
        shiftBack(i);
        size--;
        return (V) old;
    }

    /** Backward-shift deletion: moves later entries of the probe run into the hole. */
    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            Object v = vals[i];
            if (v == null) {
                break;
            }
            int home = hash(keys[i]) & mask;
            // the entry at i may move to the hole if its home is not in (hole, i]
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                vals[hole] = v;
                hole = i;
            }
        }
        vals[hole] = null;
        keys[hole] = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldVals = vals;
        keys = new long[oldKeys.length * 2];
        vals = new Object[oldVals.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldVals[i] != null) {
                @SuppressWarnings("unchecked")
                V v = (V) oldVals[i];
                put(oldKeys[i], v);
            }
        }
    }

    void clear() {
        Arrays.fill(vals, null);
        Arrays.fill(keys, 0);
        size = 0;
    }

    /** The keys, in table order. */
    long[] keys() {
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (vals[i] != null) {
                out[n++] = keys[i];
            }
        }
        return out;
    }

    /** A live view of the values (no removal through it). */
    Collection<V> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return new Iterator<>() {
                    private int i = advance(0);

                    private int advance(int from) {
                        while (from < vals.length && vals[from] == null) {
                            from++;
                        }
                        return from;
                    }

                    @Override
                    public boolean hasNext() {
                        return i < vals.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public V next() {
                        if (i >= vals.length) {
                            throw new NoSuchElementException();
                        }
                        V v = (V) vals[i];
                        i = advance(i + 1);
                        return v;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
