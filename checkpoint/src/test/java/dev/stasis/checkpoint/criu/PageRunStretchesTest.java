package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Present runs merge only where they follow each other both in memory and in the pages image. */
class PageRunStretchesTest {
    private static final int P = PageRun.PAGE_SIZE;

    @Test
    void mergesRunsContiguousInMemoryAndFileOnly() {
        List<PageRun> runs = List.of(
                new PageRun(0x1000, 2, PageRun.PRESENT, 0),
                new PageRun(0x3000, 1, PageRun.PRESENT, 2L * P),          // follows in both: merged
                new PageRun(0x4000, 1, PageRun.PARENT, -1),               // not present: skipped, and breaks nothing
                new PageRun(0x5000, 1, PageRun.PRESENT, 3L * P),          // memory gap: new stretch
                new PageRun(0x6000, 1, PageRun.PRESENT, 5L * P));         // file gap: new stretch
        assertThat(PageRun.presentStretches(runs)).containsExactly(
                new PageRun(0x1000, 3, PageRun.PRESENT, 0),
                new PageRun(0x5000, 1, PageRun.PRESENT, 3L * P),
                new PageRun(0x6000, 1, PageRun.PRESENT, 5L * P));
        assertThat(PageRun.presentStretches(List.of(new PageRun(0, 1, PageRun.LAZY, -1)))).isEmpty();
    }
}
