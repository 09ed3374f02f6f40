package dev.stasis.memory.artefacts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the lines typed into node's REPL by following V8's heap objects (node 18, V8 10.2 on
 * x86-64, full 64-bit tagged pointers: a heap object's address + 1; a small integer (Smi) is its
 * value in the upper 32 bits). The REPL is a readline Interface: readline keeps {@code history},
 * a JS array of the lines, newest first (unshift), and the REPL keeps {@code lines}, every line
 * evaluated, oldest first, with an extra {@code level} property.
 *
 * <p>The objects: a string is {@code {map, hash:u32, length:u32, chars[length]}} (SeqOneByteString)
 * or, once V8 has internalized it, a ThinString {@code {map, hash:u32, length:u32, actual}} pointing
 * at one of the same length; a FixedArray is {@code {map, length:Smi, elements[length]}}, a JS array
 * {@code {map, properties, elements -> FixedArray, length:Smi}} whose backing store holds its
 * {@code length} elements followed by holes. The walk: (1) every FixedArray whose first k elements
 * are strings and whose remaining elements are one and the same non-string value (the hole),
 * held by a JS array of length k; (2) two such arrays with the same lines in opposite orders are
 * readline's history and the REPL's lines; the one whose JS array has a property store of its own
 * ({@code lines.level}, where an array without properties points at the shared empty one) is the
 * oldest-first {@code lines}, the order reported. No map addresses are assumed (V8's maps live in
 * its read-only space, outside the writable memory walked); the walk runs only on processes named node.
 */
final class NodeReplHistoryWalker {
    static final int MAX_LINE = 16384, MAX_ARRAY = 65_536;
    /** Elements looked at in all before the walk gives up: a hostile image cannot make it quadratic. */
    static final long BUDGET = 200_000_000L;
    private final ProcessImage image;
    private long spent;

    NodeReplHistoryWalker(ProcessImage image) {
        this.image = image;
    }

    record Entry(long lineAddress, String line) {}

    /** A string array found: where its backing store is, and its strings (text and address of the chars). */
    private record Strings(long store, List<Entry> entries) {}

    /** The REPL's lines, oldest first; empty when the pair of arrays is not found (or is ambiguous). */
    List<Entry> walk() {
        Map<Long, Strings> arrays = new HashMap<>();        // by tagged address of the backing store
        for (ProcessImage.Region r : image.regions()) {
            byte[] b = r.bytes();
            for (int off = 0; off + 24 <= b.length; off += 8) {
                long len = ProcessImage.word(b, off + 8);
                if ((len & 0xffffffffL) != 0 || (ProcessImage.word(b, off) & 3) != 1) continue;
                long n = len >>> 32;
                if (n < 1 || n > MAX_ARRAY || off + 16 + 8 * n > b.length) continue;
                Strings s = strings(b, off, (int) n, r.start());
                if (s != null) arrays.put(s.store + 1, s);
                if (spent > BUDGET) return List.of();
            }
        }
        if (arrays.size() < 2) return List.of();
        // the JS arrays holding them: {map, properties, elements, length}, and how often each properties value occurs
        Map<Long, Long> propertiesOf = new HashMap<>();
        Map<Long, Integer> occurrences = new HashMap<>();
        for (ProcessImage.Region r : image.regions()) {
            byte[] b = r.bytes();
            for (int off = 16; off + 16 <= b.length; off += 8) {
                long w = ProcessImage.word(b, off);
                Strings s = arrays.get(w);
                if (s == null || ProcessImage.word(b, off + 8) != (long) s.entries.size() << 32) continue;
                long props = ProcessImage.word(b, off - 8);
                if ((props & 3) == 1) propertiesOf.put(w, props);
            }
        }
        if (propertiesOf.size() < 2) return List.of();
        for (Long p : propertiesOf.values()) occurrences.put(p, 0);
        for (ProcessImage.Region r : image.regions()) {
            byte[] b = r.bytes();
            for (int off = 0; off + 8 <= b.length; off += 8) {
                Integer c = occurrences.get(ProcessImage.word(b, off));
                if (c != null) occurrences.put(ProcessImage.word(b, off), c + 1);
            }
        }
        List<Entry> best = List.of();
        boolean ambiguous = false;
        List<Long> held = new ArrayList<>(propertiesOf.keySet());
        for (long lines : held) {
            for (long history : held) {
                if (lines == history) continue;
                List<Entry> oldest = arrays.get(lines).entries, newest = arrays.get(history).entries;
                if (!reversed(oldest, newest)) continue;
                // lines has a property store of its own (lines.level); history the shared empty one
                if (occurrences.get(propertiesOf.get(lines)) > 2 || occurrences.get(propertiesOf.get(history)) <= 2) continue;
                if (oldest.size() > best.size()) {
                    best = oldest;
                    ambiguous = false;
                } else if (oldest.size() == best.size() && !texts(oldest).equals(texts(best))) {
                    ambiguous = true;
                }
            }
        }
        return ambiguous ? List.of() : best;
    }

    private static boolean reversed(List<Entry> a, List<Entry> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!a.get(i).line().equals(b.get(b.size() - 1 - i).line())) return false;
        return true;
    }

    private static List<String> texts(List<Entry> es) {
        return es.stream().map(Entry::line).toList();
    }

    /** The FixedArray at {@code b[off]} as k strings followed by holes, or null. */
    private Strings strings(byte[] b, int off, int n, long base) {
        List<Entry> out = new ArrayList<>();
        int i = 0;
        for (; i < n; i++) {
            spent++;
            Entry e = string(ProcessImage.word(b, off + 16 + 8 * i));
            if (e == null) break;
            out.add(e);
        }
        if (out.isEmpty()) return null;
        if (i < n) {
            long hole = ProcessImage.word(b, off + 16 + 8 * i);
            if ((hole & 3) != 1) return null;
            spent += n - i;
            for (int j = i + 1; j < n; j++) if (ProcessImage.word(b, off + 16 + 8 * j) != hole) return null;
        }
        return new Strings(base + off, out);
    }

    /** The string a tagged pointer points at (sequential, or thin pointing at a sequential one of the same length), or null. */
    private Entry string(long tagged) {
        if ((tagged & 3) != 1) return null;
        long obj = tagged - 1;
        Long header = image.word(obj + 8);
        if (header == null) return null;
        long length = header >>> 32;
        if (length < 1 || length > MAX_LINE) return null;
        Entry seq = sequential(obj, (int) length);
        if (seq != null) return seq;
        Long actual = image.word(obj + 16);
        if (actual == null || (actual & 3) != 1) return null;
        Long h2 = image.word(actual - 1 + 8);
        if (h2 == null || h2 >>> 32 != length) return null;
        return sequential(actual - 1, (int) length);
    }

    /** A SeqOneByteString at {@code obj} of {@code length} printable characters, or null. */
    private Entry sequential(long obj, int length) {
        Long map = image.word(obj);
        if (map == null || (map & 3) != 1) return null;
        ProcessImage.Region r = image.regionOf(obj + 16);
        if (r == null || obj + 16 + length > r.end()) return null;
        byte[] b = r.bytes();
        int from = (int) (obj + 16 - r.start());
        for (int i = from; i < from + length; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' || c == 0x7f || c >= 0x80 && c < 0xa0) return null;
        }
        String text = new String(b, from, length, StandardCharsets.ISO_8859_1);
        return text.isBlank() ? null : new Entry(obj + 16, text);
    }
}
