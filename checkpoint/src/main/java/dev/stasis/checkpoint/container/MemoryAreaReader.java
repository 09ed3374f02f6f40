package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.archive.SeekableContent;
import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.images.Pagemap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a few bytes of a process's memory (its argument and environment areas) through
 * {@code pagemap-<pid>.img} and the matching {@code pages-<id>.img}: pages of PRESENT entries lie
 * back to back in the pages image in pagemap order. This is a small reader for the inspect
 * path; the memory module has the full one.
 */
final class MemoryAreaReader {
    static final int PAGE_SIZE = 4096;
    private static final int PE_PARENT = 1;
    private static final int PE_PRESENT = 4;

    /** One run of pages: [vaddr, vaddr + pages*PAGE) at {@code offset} in the pages image, or -1 if not there. */
    record Run(long vaddr, long pages, long offset) {}

    private final List<Run> runs;
    private final SeekableContent pages;

    MemoryAreaReader(List<Run> runs, SeekableContent pages) {
        this.runs = runs;
        this.pages = pages;
    }

    /** Index of the pages image the pagemap names (its head). */
    static int pagesId(CriuImage pagemap) {
        if (pagemap.entries().isEmpty() || !(pagemap.entries().getFirst().message() instanceof Pagemap.pagemap_head h)) {
            throw new IllegalStateException("pagemap has no head");
        }
        return h.getPagesId();
    }

    static List<Run> runs(CriuImage pagemap) {
        List<Run> runs = new ArrayList<>();
        long offset = 0;
        for (ImageEntry e : pagemap.entries()) {
            if (!(e.message() instanceof Pagemap.pagemap_entry pe)) continue;
            long n = pe.hasNrPages() && pe.getNrPages() != 0 ? pe.getNrPages() : Integer.toUnsignedLong(pe.getCompatNrPages());
            boolean present = !pe.hasFlags() ? !pe.getInParent() : (pe.getFlags() & PE_PRESENT) != 0 && (pe.getFlags() & PE_PARENT) == 0;
            if (n <= 0 || n > (1L << 40)) continue;
            if (present) {
                runs.add(new Run(pe.getVaddr(), n, offset));
                offset += n * PAGE_SIZE;
            } else {
                runs.add(new Run(pe.getVaddr(), n, -1));
            }
        }
        return runs;
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
            Run r = find(pos);
            long pageEnd = ((pos / PAGE_SIZE) + 1) * PAGE_SIZE;
            long chunkEnd = Math.min(stop, r == null ? pageEnd : r.vaddr() + r.pages() * PAGE_SIZE);
            if (r == null || r.offset() < 0) {
                missing[0] = true;
            } else {
                long at = r.offset() + (pos - r.vaddr());
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
            Run r = find(pos);
            long pageEnd = ((pos / PAGE_SIZE) + 1) * PAGE_SIZE;
            long chunkEnd = Math.min(stop, r == null ? pageEnd : r.vaddr() + r.pages() * PAGE_SIZE);
            if (r == null || r.offset() < 0) {
                missing[0] = true;
            } else {
                byte[] chunk = pages.readBytes(r.offset() + (pos - r.vaddr()), (int) (chunkEnd - pos));
                System.arraycopy(chunk, 0, out, (int) (pos - start), chunk.length);
                if (chunk.length < chunkEnd - pos) missing[0] = true;
            }
            pos = chunkEnd;
        }
        return out;
    }

    private Run find(long addr) {
        // pagemap entries are sorted by address (CRIU writes them in VMA order): binary search,
        // falling back to a scan in case a hostile image is not sorted
        int lo = 0, hi = runs.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Run r = runs.get(mid);
            if (Long.compareUnsigned(addr, r.vaddr()) < 0) hi = mid - 1;
            else if (Long.compareUnsigned(addr, r.vaddr() + r.pages() * PAGE_SIZE) >= 0) lo = mid + 1;
            else return r;
        }
        for (Run r : runs) {
            if (addr >= r.vaddr() && addr < r.vaddr() + r.pages() * PAGE_SIZE) return r;
        }
        return null;
    }
}
