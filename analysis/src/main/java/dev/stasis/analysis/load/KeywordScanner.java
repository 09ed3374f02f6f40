package dev.stasis.analysis.load;

import dev.stasis.analysis.subject.MemoryHit;
import dev.stasis.analysis.subject.MemoryView.Keyword;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.PageFile;
import dev.stasis.checkpoint.criu.PageRun;
import dev.stasis.memory.ProcessMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Finds many literals in one sequential pass over each process's pages: a
 * 256-entry table of first bytes rejects almost every position (process memory
 * is mostly zeros and binary), candidates are compared byte by byte, and only
 * at a real occurrence is the keyword's regex run, over a small window read
 * around it. Stretches of pages contiguous both in memory and in the pages
 * image are read in big chunks, so matches across page boundaries are found.
 */
final class KeywordScanner {
    static final int CHUNK = 4 << 20;
    /** Bytes of context read on each side of an occurrence for the regex. */
    static final int WINDOW = 512;

    private final CheckpointMemory memory;
    private final List<Keyword> keywords;
    private final byte[][] literals;
    private final int[][] byFirstByte = new int[256][];
    private final int maxLen;

    KeywordScanner(CheckpointMemory memory, List<Keyword> keywords) {
        this.memory = memory;
        this.keywords = List.copyOf(keywords);
        this.literals = new byte[keywords.size()][];
        int max = 1;
        List<List<Integer>> first = new ArrayList<>();
        for (int i = 0; i < 256; i++) first.add(new ArrayList<>());
        for (int i = 0; i < keywords.size(); i++) {
            literals[i] = keywords.get(i).literal().getBytes(StandardCharsets.ISO_8859_1);
            if (literals[i].length == 0) throw new IllegalArgumentException("empty keyword");
            first.get(literals[i][0] & 0xff).add(i);
            max = Math.max(max, literals[i].length);
        }
        for (int b = 0; b < 256; b++) byFirstByte[b] = first.get(b).isEmpty() ? null : first.get(b).stream().mapToInt(Integer::intValue).toArray();
        this.maxLen = max;
    }


    List<MemoryHit> scan(List<Integer> pids, int limit) {
        List<MemoryHit> out = new ArrayList<>();
        byte[] buf = new byte[CHUNK + maxLen];
        for (int pid : pids) {
            ProcessMemory p;
            try {
                p = memory.process(pid);
            } catch (RuntimeException e) {
                continue;
            }
            if (!p.hasMemory()) continue;
            PageFile file = memory.pageFile(p.pagemap().pagesImage());
            for (PageRun s : PageRun.presentStretches(p.pagemap().runs())) {
                if (!scanStretch(p.pid(), file, s, buf, out, limit)) return out;
            }
        }
        return out;
    }

    private boolean scanStretch(int pid, PageFile file, PageRun s, byte[] buf, List<MemoryHit> out, int limit) {
        Set<Long> reported = new HashSet<>();
        int carry = 0;
        long pos = 0;                       // offset in the stretch of the next byte to read
        while (pos < s.bytes()) {
            int n = (int) Math.min(CHUNK, s.bytes() - pos);
            read(file, s.fileOffset() + pos, buf, carry, n);
            int end = carry + n;
            long base = pos - carry;        // stretch offset of buf[0]
            for (int i = 0; i < end; i++) {
                int[] cands = byFirstByte[buf[i] & 0xff];
                if (cands == null) continue;
                for (int k : cands) {
                    byte[] lit = literals[k];
                    if (i + lit.length > end || !same(buf, i, lit)) continue;
                    long at = base + i;
                    if (!reported.add(at * 64 + k)) continue;
                    MemoryHit h = around(pid, file, s, at, k);
                    if (h != null) {
                        if (out.size() >= limit) return false;
                        out.add(h);
                    }
                }
            }
            pos += n;
            carry = Math.min(maxLen - 1, end);
            System.arraycopy(buf, end - carry, buf, 0, carry);
        }
        return true;
    }

    private static boolean same(byte[] buf, int at, byte[] lit) {
        for (int j = 1; j < lit.length; j++) if (buf[at + j] != lit[j]) return false;
        return true;
    }

    /** The keyword's regex match covering the occurrence at stretch offset {@code at}, or null. */
    private MemoryHit around(int pid, PageFile file, PageRun s, long at, int k) {
        long from = Math.max(0, at - WINDOW);
        long to = Math.min(s.bytes(), at + literals[k].length + WINDOW);
        byte[] w = new byte[(int) (to - from)];
        read(file, s.fileOffset() + from, w, 0, w.length);
        String text = new String(w, StandardCharsets.ISO_8859_1);
        int litStart = (int) (at - from);
        int litEnd = litStart + literals[k].length;
        Matcher m = keywords.get(k).around().matcher(text);
        int searchFrom = Math.max(0, litStart - WINDOW);
        while (searchFrom <= litStart && m.find(searchFrom)) {
            if (m.start() > litStart) break;
            if (m.end() >= litEnd) return new MemoryHit(pid, s.vaddr() + from + m.start(), m.group());
            searchFrom = m.start() + 1;
        }
        return null;
    }

    private static void read(PageFile file, long position, byte[] dst, int off, int len) {
        try {
            file.readFully(position, ByteBuffer.wrap(dst, off, len));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
