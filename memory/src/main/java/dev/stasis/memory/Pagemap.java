package dev.stasis.memory;

import dev.stasis.checkpoint.criu.ImageFormatException;
import dev.stasis.checkpoint.criu.PageRun;
import dev.stasis.checkpoint.criu.PagemapImage;
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

    /**
     * Decodes the image through checkpoint's pagemap reader and checks what lookups here rely on:
     * page counts that cannot make addresses wrap, aligned runs sorted by address.
     */
    static Pagemap decode(String name, byte[] bytes) {
        PagemapImage image;
        try {
            image = PagemapImage.read(SourceImages.decode(name, bytes));
        } catch (ImageFormatException e) {
            throw SourceImages.damaged(name, e);
        }
        long lastEnd = 0;
        for (int i = 1; i <= image.runs().size(); i++) {
            PageRun r = image.runs().get(i - 1);
            long n = r.pages();
            if (n <= 0 || n > (1L << 40)) throw new MemoryException(name + ": entry " + i + " has " + n + " pages");
            if (r.vaddr() % PAGE_SIZE != 0) throw new MemoryException(name + ": entry " + i + " address 0x" + Long.toHexString(r.vaddr()) + " is not page aligned");
            if (i > 1 && Long.compareUnsigned(r.vaddr(), lastEnd) < 0)
                throw new MemoryException(name + ": entry " + i + " at 0x" + Long.toHexString(r.vaddr()) + " overlaps or precedes the previous one");
            lastEnd = r.vaddr() + n * PAGE_SIZE;
        }
        return new Pagemap(name, image.pagesId(), image.runs());
    }

}
