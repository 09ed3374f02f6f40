package dev.stasis.checkpoint.criu;

/**
 * One pagemap entry: {@code pages} pages starting at {@code vaddr} (for a
 * shared-memory pagemap: at that offset into the object). Present runs have
 * their bytes at {@code fileOffset} in the pages image; others have -1.
 * {@code flags} are CRIU's {@code PE_*} bits after the pre-flags default
 * (see {@link Pagemaps#flags}).
 */
public record PageRun(long vaddr, long pages, int flags, long fileOffset) {
    /** x86-64's page size, the only one CRIU images from these nodes use. */
    public static final int PAGE_SIZE = 4096;
    public static final int PARENT = Pagemaps.PE_PARENT;
    public static final int LAZY = Pagemaps.PE_LAZY;
    public static final int PRESENT = Pagemaps.PE_PRESENT;

    public long end() {
        return vaddr + pages * PAGE_SIZE;
    }

    public long bytes() {
        return pages * PAGE_SIZE;
    }

    /** The pages are in this dump's pages image (CRIU's {@code pagemap_present}). */
    public boolean present() {
        return (flags & PRESENT) != 0;
    }

    public boolean inParent() {
        return (flags & PARENT) != 0 && !present();
    }

    public boolean lazy() {
        return (flags & LAZY) != 0 && !present();
    }

    public boolean contains(long addr) {
        return Long.compareUnsigned(addr, vaddr) >= 0 && Long.compareUnsigned(addr, end()) < 0;
    }

    /**
     * The run holding {@code addr}, found by binary search over runs sorted by address (CRIU
     * writes pagemap entries in VMA order), or null. An unsorted, hostile list can hide a run
     * from it; a caller that must survive one scans after a miss.
     */
    public static PageRun find(java.util.List<PageRun> runs, long addr) {
        return AddressRanges.find(runs, addr, PageRun::vaddr, PageRun::end);
    }

    /**
     * The present runs merged where they follow each other both in memory and in the pages
     * image: the stretches a scan can read in one go. Each result is a present run.
     */
    public static java.util.List<PageRun> presentStretches(java.util.List<PageRun> runs) {
        java.util.List<PageRun> out = new java.util.ArrayList<>();
        PageRun cur = null;
        for (PageRun r : runs) {
            if (!r.present()) continue;
            if (cur != null && r.vaddr() == cur.end() && r.fileOffset() == cur.fileOffset() + cur.bytes()) {
                cur = new PageRun(cur.vaddr(), cur.pages() + r.pages(), PRESENT, cur.fileOffset());
            } else {
                if (cur != null) out.add(cur);
                cur = new PageRun(r.vaddr(), r.pages(), PRESENT, r.fileOffset());
            }
        }
        if (cur != null) out.add(cur);
        return out;
    }
}
