package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.Pagemap;

/**
 * Reads pagemap entries the same way across CRIU versions: CRIU >= 4.2
 * writes the page count in {@code nr_pages} (field 5) and leaves
 * {@code compat_nr_pages} 0; older CRIU writes only {@code compat_nr_pages}.
 * Entries without {@code flags} predate the flags field: they are present
 * unless {@code in_parent} says the pages live in the parent image.
 */
public final class Pagemaps {
    /** Pages are in a parent (pre-dump) image. */
    public static final int PE_PARENT = 1;
    /** Pages will be fetched lazily (userfaultfd). */
    public static final int PE_LAZY = 1 << 1;
    /** Pages are in this dump's pages-ID.img, back to back in entry order. */
    public static final int PE_PRESENT = 1 << 2;

    private Pagemaps() {}

    /** The number of pages the entry covers. */
    public static long pageCount(Pagemap.pagemap_entry e) {
        if (e.hasNrPages() && e.getNrPages() != 0) return e.getNrPages();
        return Integer.toUnsignedLong(e.getCompatNrPages());
    }

    /** The entry's flags, with the pre-flags default applied. */
    public static int flags(Pagemap.pagemap_entry e) {
        if (e.hasFlags()) return e.getFlags();
        return e.getInParent() ? PE_PARENT : PE_PRESENT;
    }

    public static boolean isPresent(Pagemap.pagemap_entry e) {
        return (flags(e) & PE_PRESENT) != 0;
    }

    public static boolean isInParent(Pagemap.pagemap_entry e) {
        return (flags(e) & PE_PARENT) != 0;
    }

    public static boolean isLazy(Pagemap.pagemap_entry e) {
        return (flags(e) & PE_LAZY) != 0;
    }

    /** Bytes covered by the entry for the given page size (4096 on x86-64). */
    public static long byteCount(Pagemap.pagemap_entry e, long pageSize) {
        return pageCount(e) * pageSize;
    }
}
