package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.Pagemap;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoded {@code pagemap-<id>.img} (a process's, or {@code pagemap-shmem-<shmid>.img} for a
 * shared-memory object): the pages image it points at ({@code pages-<pagesId>.img}) and its runs
 * in entry order, as {@link Pagemaps#runs} reads them (CRIU's old-format, {@code in_parent} and
 * lazy rules; present runs with their offset in the pages image). Nothing is checked beyond the
 * format: a reader that relies on sorted, aligned runs checks them itself.
 */
public record PagemapImage(int pagesId, List<PageRun> runs) {
    public PagemapImage {
        runs = List.copyOf(runs);
    }

    /** The name of the pages image these runs point into. */
    public String pagesImage() {
        return "pages-" + pagesId + ".img";
    }

    /** @throws ImageFormatException when the image does not start with a {@code pagemap_head} */
    public static PagemapImage read(CriuImage pagemap) {
        if (pagemap.entries().isEmpty() || !(pagemap.entries().getFirst().message() instanceof Pagemap.pagemap_head head))
            throw new ImageFormatException("no pagemap_head");
        List<Pagemap.pagemap_entry> entries = new ArrayList<>(pagemap.entries().size() - 1);
        for (ImageEntry e : pagemap.entries()) {
            if (e.message() instanceof Pagemap.pagemap_entry pe) entries.add(pe);
        }
        return new PagemapImage(head.getPagesId(), Pagemaps.runs(entries));
    }
}
