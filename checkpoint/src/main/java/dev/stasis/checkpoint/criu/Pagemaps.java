package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.Pagemap;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads pagemap entries the same way across CRIU versions: CRIU >= 4.2
 * writes the page count in {@code nr_pages} (field 5) and leaves
 * {@code compat_nr_pages} 0; older CRIU writes only {@code compat_nr_pages}.
 * Entries without {@code flags} predate the flags field: they are present
 * unless {@code in_parent} says the pages live in the parent image.
 *
 * <p>This is the one place that turns pagemap entries into page runs; the
 * memory module and the inspect path both read through {@link #runs}.
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

    /**
     * The entry's flags as CRIU's {@code init_compat_pagemap_entry} (criu/pagemap.c)
     * sets them: {@code in_parent} adds {@code PE_PARENT}; an entry without
     * {@code flags} that is not in the parent is {@code PE_PRESENT}. So an old
     * entry marked {@code in_parent} is never present and takes no room in the
     * pages image.
     */
    public static int flags(Pagemap.pagemap_entry e) {
        int flags = e.hasFlags() ? e.getFlags() : 0;
        if (e.hasInParent() && e.getInParent()) return flags | PE_PARENT;
        return e.hasFlags() ? flags : PE_PRESENT;
    }

    /**
     * The runs of these entries in order, each present run with its offset in
     * the pages image: present pages lie back to back there in entry order, and
     * only present entries advance the offset (CRIU's page-read {@code advance}).
     */
    public static List<PageRun> runs(List<Pagemap.pagemap_entry> entries) {
        List<PageRun> runs = new ArrayList<>(entries.size());
        long offset = 0;
        for (Pagemap.pagemap_entry e : entries) {
            int flags = flags(e);
            long n = pageCount(e);
            boolean present = (flags & PE_PRESENT) != 0;
            runs.add(new PageRun(e.getVaddr(), n, flags, present ? offset : -1));
            if (present) offset += n * PageRun.PAGE_SIZE;
        }
        return runs;
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
