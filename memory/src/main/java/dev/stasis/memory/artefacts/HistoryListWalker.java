package dev.stasis.memory.artefacts;

import dev.stasis.memory.ProcessMemory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds GNU readline's history list in a process's heap by its structure, the
 * way published memory-forensics methods recover bash history. readline keeps
 * {@code HIST_ENTRY **the_history}: a NULL-terminated array of pointers to
 * {@code HIST_ENTRY {char *line; char *timestamp; histdata_t data;}}, each
 * allocated by {@code alloc_history_entry} with {@code data} NULL and
 * {@code timestamp} from {@code hist_inittime} (never NULL): the seconds since the epoch
 * after one comment character, which is '#' when bash has HISTTIMEFORMAT set
 * and NUL otherwise.
 *
 * <p>The walk: (1) every 16-byte aligned heap address (glibc's malloc
 * alignment) after a chunk size field that fits a 24-byte allocation, whose three words are a pointer to a printable NUL-terminated
 * string, a pointer to such a timestamp, and zero is a candidate entry;
 * (2) runs of consecutive words pointing at candidates, followed by a NULL
 * word, are candidate arrays; (3) the array that a word elsewhere in writable
 * memory points at (the {@code the_history} variable) is the live list; older
 * arrays that realloc freed are ignored. Entries are reported in array order.
 */
final class HistoryListWalker {
    static final int MAX_LINE = 16384;
    private final ProcessImage image;

    HistoryListWalker(ProcessImage image) {
        this.image = image;
    }

    /** One entry found by structure: where its text is and what it says. */
    record Entry(long lineAddress, String line, Instant timestamp) {}

    /** The live history list (or, when nothing points at any, the longest), oldest first; empty when there is none. */
    List<Entry> walk() {
        Map<Long, Entry> entries = entries();
        if (entries.isEmpty()) return List.of();
        List<long[]> arrays = arrays(entries.keySet());          // {start address, count}
        if (arrays.isEmpty()) return List.of();
        Set<Long> starts = new HashSet<>();
        for (long[] a : arrays) starts.add(a[0]);
        Set<Long> referenced = referenced(starts);
        long[] best = null;
        for (long[] a : arrays) {
            boolean ref = referenced.contains(a[0]);
            if (best == null || ref && !referenced.contains(best[0]) || ref == referenced.contains(best[0]) && a[1] > best[1]) best = a;
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < best[1]; i++) out.add(entries.get(image.word(best[0] + 8L * i)));
        return out;
    }

    private Map<Long, Entry> entries() {
        Map<Long, Entry> out = new HashMap<>();
        for (ProcessImage.Region r : image.regions()) {
            byte[] b = r.bytes();
            for (int off = 0; off + 24 <= b.length; off += 16) {
                long data = ProcessImage.word(b, off + 16);
                if (data != 0 || off < 8 || !entryChunk(ProcessImage.word(b, off - 8))) continue;
                long line = ProcessImage.word(b, off);
                if (line == 0 || (line & 0xffff000000000000L) != 0) continue;
                Instant when = timestamp(ProcessImage.word(b, off + 8));     // add_history always stamps: never NULL
                if (when == null) continue;
                String text = line(line);
                if (text == null) continue;
                out.put(r.start() + off, new Entry(line, text, when));
            }
        }
        return out;
    }

    /**
     * The size field of the glibc malloc chunk holding a 24-byte HIST_ENTRY: 0x20, or a little more
     * when malloc handed out a free chunk whose remainder was too small to split (seen: 0x30).
     */
    static boolean entryChunk(long sizeField) {
        long size = sizeField & ~7L;
        return size >= 0x20 && size <= 0x80 && (size & 0xf) == 0;
    }

    /** A printable line (tabs and newlines allowed, UTF-8 allowed), or null. */
    private String line(long addr) {
        byte[] s = image.cString(addr, MAX_LINE);
        if (s == null || s.length == 0) return null;
        for (byte c : s) if ((c & 0xff) < 0x20 && c != '\t' && c != '\n' || c == 0x7f) return null;
        try {
            String t = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(s)).toString();
            return t.isBlank() ? null : t;
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;                                  // not text: a pointer or binary data that looked like a string
        }
    }

    /** "#1764864000" or "\01764864000": the seconds readline stored, or null when it is not a timestamp. */
    private Instant timestamp(long addr) {
        if (addr == 0) return null;
        ProcessImage.Region r = image.regionOf(addr);
        if (r == null) return null;
        int off = (int) (addr - r.start());
        byte[] b = r.bytes();
        if (off + 2 > b.length || b[off] != '#' && b[off] != 0) return null;
        long secs = 0;
        int i = off + 1;
        for (; i < b.length && b[i] >= '0' && b[i] <= '9' && i - off <= 19; i++) secs = secs * 10 + (b[i] - '0');
        if (i == off + 1 || i >= b.length || b[i] != 0) return null;
        return Instant.ofEpochSecond(secs);
    }

    private List<long[]> arrays(Set<Long> entries) {
        List<long[]> out = new ArrayList<>();
        for (ProcessImage.Region r : image.regions()) {
            byte[] b = r.bytes();
            long runStart = -1;
            int count = 0;
            for (int off = 0; off + 8 <= b.length; off += 8) {
                long w = ProcessImage.word(b, off);
                if (entries.contains(w)) {
                    if (count++ == 0) runStart = r.start() + off;
                    continue;
                }
                if (count > 0 && w == 0) out.add(new long[] {runStart, count});
                count = 0;
            }
        }
        return out;
    }

    /** Which of these addresses some word in writable memory points at. */
    private Set<Long> referenced(Set<Long> starts) {
        Set<Long> out = new HashSet<>();
        for (ProcessImage.Region r : image.regions()) {
            byte[] b = r.bytes();
            for (int off = 0; off + 8 <= b.length; off += 8) {
                long w = ProcessImage.word(b, off);
                if (w != 0 && starts.contains(w)) out.add(w);
            }
        }
        return out;
    }

}
