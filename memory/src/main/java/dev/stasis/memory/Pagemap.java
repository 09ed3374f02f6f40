package dev.stasis.memory;

import dev.stasis.checkpoint.criu.PageRun;
import dev.stasis.checkpoint.criu.Pagemaps;
import dev.stasis.checkpoint.criu.images.Pagemap.pagemap_entry;
import dev.stasis.checkpoint.criu.images.Pagemap.pagemap_head;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A decoded {@code pagemap-*.img}: the pages image it points at and its runs
 * in entry order, each present run knowing its offset in that pages image
 * (present pages lie back to back in entry order).
 */
public record Pagemap(String image, int pagesId, List<PageRun> runs) {
    public static final int PAGE_SIZE = PageRun.PAGE_SIZE;

    public Pagemap {
        runs = List.copyOf(runs);
    }

    public String pagesImage() {
        return "pages-" + pagesId + ".img";
    }

    /** Bytes of the pages image this pagemap accounts for. */
    public long presentBytes() {
        return runs.stream().filter(PageRun::present).mapToLong(PageRun::bytes).sum();
    }

    public long pages(java.util.function.Predicate<PageRun> which) {
        return runs.stream().filter(which).mapToLong(PageRun::pages).sum();
    }

    /** The run covering {@code addr}, or null. Runs are sorted by address (CRIU writes them so; checked on load). */
    public PageRun find(long addr) {
        return PageRun.find(runs, addr);
    }

    static Pagemap decode(String name, byte[] bytes) {
        List<byte[]> entries = ImageEntries.raw(name, bytes);
        if (entries.isEmpty()) throw new MemoryException(name + ": no pagemap_head");
        try {
            int pagesId = pagemap_head.parseFrom(entries.get(0)).getPagesId();
            List<pagemap_entry> parsed = new ArrayList<>(entries.size() - 1);
            long lastEnd = 0;
            for (int i = 1; i < entries.size(); i++) {
                pagemap_entry e = pagemap_entry.parseFrom(entries.get(i));
                long n = Pagemaps.pageCount(e);
                if (n <= 0 || n > (1L << 40)) throw new MemoryException(name + ": entry " + i + " has " + n + " pages");
                if (e.getVaddr() % PAGE_SIZE != 0) throw new MemoryException(name + ": entry " + i + " address 0x" + Long.toHexString(e.getVaddr()) + " is not page aligned");
                if (i > 1 && Long.compareUnsigned(e.getVaddr(), lastEnd) < 0)
                    throw new MemoryException(name + ": entry " + i + " at 0x" + Long.toHexString(e.getVaddr()) + " overlaps or precedes the previous one");
                parsed.add(e);
                lastEnd = e.getVaddr() + n * PAGE_SIZE;
            }
            List<PageRun> runs = Pagemaps.runs(parsed);
            return new Pagemap(name, pagesId, Collections.unmodifiableList(runs));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new MemoryException(name + ": malformed pagemap entry: " + e.getMessage(), e);
        }
    }

}
