package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.archive.SeekableContent;
import dev.stasis.checkpoint.criu.PageRun;
import dev.stasis.checkpoint.criu.PagemapImage;
import java.io.IOException;
import java.util.List;

/**
 * Reads a few bytes of a process's memory (its argument and environment areas) through
 * {@code pagemap-<pid>.img} and the matching {@code pages-<id>.img}: pages of PRESENT entries lie
 * back to back in the pages image in pagemap order. This is a small reader for the inspect
 * path; the memory module has the full one.
 */
final class MemoryAreaReader {
    static final int PAGE_SIZE = PageRun.PAGE_SIZE;

    private final List<PageRun> runs;
    private final SeekableContent pages;

    MemoryAreaReader(List<PageRun> runs, SeekableContent pages) {
        this.runs = runs;
        this.pages = pages;
    }

    /**
     * The runs of a pagemap as {@link PagemapImage} reads it. A hostile page count would make the
     * address arithmetic wrap; such runs are left out (after their offsets are counted, as CRIU
     * would count them).
     */
    static List<PageRun> runs(PagemapImage pagemap) {
        return pagemap.runs().stream().filter(r -> r.pages() > 0 && r.pages() <= (1L << 40)).toList();
    }

    /**
     * The bytes of [start, end) that the checkpoint holds; missing pages read as zeros and are
     * reported through {@code missing}. Refuses areas over {@code max} bytes.
     */
    byte[] read(long start, long end, int max, boolean[] missing) throws IOException {
        long len = end - start;
        if (start == 0 || len <= 0) return new byte[0];
        if (len > max) {
            missing[0] = true;
            len = max;
        }
        byte[] out = new byte[(int) len];
        long pos = start;
        long stop = start + len;
        while (pos < stop) {
            PageRun r = find(pos);
            long pageEnd = ((pos / PAGE_SIZE) + 1) * PAGE_SIZE;
            long chunkEnd = Math.min(stop, r == null ? pageEnd : r.vaddr() + r.pages() * PAGE_SIZE);
            if (r == null || r.fileOffset() < 0) {
                missing[0] = true;
            } else {
                long at = r.fileOffset() + (pos - r.vaddr());
                byte[] chunk = pages.readBytes(at, (int) (chunkEnd - pos));
                System.arraycopy(chunk, 0, out, (int) (pos - start), chunk.length);
                if (chunk.length < chunkEnd - pos) missing[0] = true;
            }
            pos = chunkEnd;
        }
        return out;
    }

    /** {@code length} bytes at address {@code start} (0 allowed: shmem offsets), zeros where the checkpoint has no page. */
    byte[] readAt(long start, int length, boolean[] missing) throws IOException {
        byte[] out = new byte[length];
        long pos = start;
        long stop = start + length;
        while (pos < stop) {
            PageRun r = find(pos);
            long pageEnd = ((pos / PAGE_SIZE) + 1) * PAGE_SIZE;
            long chunkEnd = Math.min(stop, r == null ? pageEnd : r.vaddr() + r.pages() * PAGE_SIZE);
            if (r == null || r.fileOffset() < 0) {
                missing[0] = true;
            } else {
                byte[] chunk = pages.readBytes(r.fileOffset() + (pos - r.vaddr()), (int) (chunkEnd - pos));
                System.arraycopy(chunk, 0, out, (int) (pos - start), chunk.length);
                if (chunk.length < chunkEnd - pos) missing[0] = true;
            }
            pos = chunkEnd;
        }
        return out;
    }

    private PageRun find(long addr) {
        PageRun found = PageRun.find(runs, addr);
        if (found != null) return found;
        // a hostile image need not be sorted: scan before saying the address is not there
        for (PageRun r : runs) {
            if (addr >= r.vaddr() && addr < r.vaddr() + r.pages() * PAGE_SIZE) return r;
        }
        return null;
    }
}
