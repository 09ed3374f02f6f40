package dev.stasis.memory;

/**
 * One pagemap entry: {@code pages} pages starting at {@code vaddr} (for a
 * shared-memory pagemap: at that offset into the object). Present runs have
 * their bytes at {@code fileOffset} in the pages image; others have -1.
 */
public record PageRun(long vaddr, long pages, int flags, long fileOffset) {
    public static final int PARENT = 1;
    public static final int LAZY = 2;
    public static final int PRESENT = 4;

    public long end() {
        return vaddr + pages * Pagemap.PAGE_SIZE;
    }

    public long bytes() {
        return pages * Pagemap.PAGE_SIZE;
    }

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
}
