package dev.stasis.memory;

import dev.stasis.checkpoint.criu.PageRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's virtual memory as the checkpoint holds it. A page comes from
 * the process's own pagemap first (private and copied-on-write pages), then
 * from the shared-memory object behind a shared or memfd mapping; anything
 * else is either untouched anonymous memory (zero) or not in the checkpoint.
 */
public final class AddressSpace {
    private static final int PAGE = Pagemap.PAGE_SIZE;
    private final CheckpointMemory memory;
    private final ProcessMemory process;

    AddressSpace(CheckpointMemory memory, ProcessMemory process) {
        this.memory = memory;
        this.process = process;
    }

    public ProcessMemory process() {
        return process;
    }

    /** Where one page's bytes are: a state and, for DATA, the pages image and offset in it. */
    public record PageLocation(PageState state, String pagesImage, long fileOffset) {}

    public PageLocation locate(long addr) {
        long page = addr & ~(long) (PAGE - 1);
        Vma vma = process.vmaAt(page);
        PageRun run = process.pagemap().find(page);
        if (run != null) {
            if (run.present()) return new PageLocation(PageState.DATA, process.pagemap().pagesImage(), run.fileOffset() + (page - run.vaddr()));
            if (run.inParent()) return new PageLocation(PageState.IN_PARENT, null, -1);
            if (run.lazy()) return new PageLocation(PageState.LAZY, null, -1);
        }
        if (vma == null) return new PageLocation(PageState.UNMAPPED, null, -1);
        if (vma.shmem() >= 0) {
            Pagemap shm = memory.sharedMemory().get(vma.shmem());
            if (shm != null) {
                long off = page - vma.start() + vma.pgoff();
                PageRun r = shm.find(off);
                if (r != null && r.present()) return new PageLocation(PageState.DATA, shm.pagesImage(), r.fileOffset() + (off - r.vaddr()));
                if (r != null && r.inParent()) return new PageLocation(PageState.IN_PARENT, null, -1);
                if (r != null && r.lazy()) return new PageLocation(PageState.LAZY, null, -1);
            }
            // a shmem page CRIU found no content for was never written: the object reads as zeros there
            return new PageLocation(shm == null && vma.is(Vma.AREA_MEMFD) ? PageState.FILE_NOT_DUMPED : PageState.ZERO, null, -1);
        }
        if (vma.fileBacked() || vma.is(Vma.AREA_VDSO) || vma.is(Vma.AREA_VVAR) || vma.is(Vma.AREA_VSYSCALL))
            return new PageLocation(PageState.FILE_NOT_DUMPED, null, -1);
        return new PageLocation(PageState.ZERO, null, -1);
    }

    /** A range of addresses whose bytes the checkpoint does not have. */
    public record Gap(long address, long length, PageState state) {}

    /**
     * Fills {@code dst[off, off+len)} with the memory at {@code addr}; bytes of
     * pages that are not in the checkpoint are zeros and reported as gaps
     * (untouched anonymous pages are real zeros and are not gaps).
     */
    public List<Gap> read(long addr, byte[] dst, int off, int len) {
        List<Gap> gaps = new ArrayList<>();
        long a = addr;
        int done = 0;
        while (done < len) {
            long pageEnd = (a & ~(long) (PAGE - 1)) + PAGE;
            int n = (int) Math.min(len - done, pageEnd - a);
            PageLocation loc = locate(a);
            if (loc.state() == PageState.DATA) {
                try {
                    memory.pageFile(loc.pagesImage()).readFully(loc.fileOffset() + (a & (PAGE - 1)), ByteBuffer.wrap(dst, off + done, n));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                java.util.Arrays.fill(dst, off + done, off + done + n, (byte) 0);
                if (!loc.state().known()) {
                    Gap last = gaps.isEmpty() ? null : gaps.get(gaps.size() - 1);
                    if (last != null && last.state() == loc.state() && last.address() + last.length() == a)
                        gaps.set(gaps.size() - 1, new Gap(last.address(), last.length() + n, last.state()));
                    else gaps.add(new Gap(a, n, loc.state()));
                }
            }
            a += n;
            done += n;
        }
        return gaps;
    }

    /** Page counts per state within one VMA. */
    public java.util.EnumMap<PageState, Long> census(Vma vma) {
        java.util.EnumMap<PageState, Long> m = new java.util.EnumMap<>(PageState.class);
        for (long p = vma.start(); Long.compareUnsigned(p, vma.end()) < 0; p += PAGE) m.merge(locate(p).state(), 1L, Long::sum);
        return m;
    }
}
