package dev.stasis.memory;

import dev.stasis.checkpoint.criu.PageRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-process page accounting: what is resident in the checkpoint (own pages
 * and pages of shared objects it maps), and what the checkpoint lacks.
 */
public record MemorySummary(int pid, String comm, String state, int vmas, long virtualBytes, long residentPages, long sharedPages,
                            long parentPages, long lazyPages, long fileNotDumpedPages) {
    public long missingPages() {
        return parentPages + lazyPages;
    }

    public static List<MemorySummary> of(CheckpointMemory memory) {
        List<MemorySummary> out = new ArrayList<>();
        for (ProcessMemory p : memory.processes()) out.add(of(memory, p));
        return out;
    }

    public static MemorySummary of(CheckpointMemory memory, ProcessMemory p) {
        if (!p.hasMemory()) return new MemorySummary(p.pid(), p.comm(), p.stateName(), 0, 0, 0, 0, 0, 0, 0);
        AddressSpace as = memory.addressSpace(p.pid());
        long resident = 0, shared = 0, parent = 0, lazy = 0, notDumped = 0, virt = 0;
        String own = p.pagemap().pagesImage();
        for (Vma v : p.vmas()) {
            virt += v.size();
            for (long a = v.start(); Long.compareUnsigned(a, v.end()) < 0; a += Pagemap.PAGE_SIZE) {
                AddressSpace.PageLocation loc = as.locate(a);
                switch (loc.state()) {
                    case DATA -> {
                        resident++;
                        if (!own.equals(loc.pagesImage())) shared++;
                    }
                    case IN_PARENT -> parent++;
                    case LAZY -> lazy++;
                    case FILE_NOT_DUMPED -> notDumped++;
                    default -> { }
                }
            }
        }
        // pagemap entries outside every VMA would be invisible above; count their missing pages too
        for (PageRun r : p.pagemap().runs()) {
            if (p.vmaAt(r.vaddr()) != null) continue;
            if (r.inParent()) parent += r.pages();
            else if (r.lazy()) lazy += r.pages();
        }
        return new MemorySummary(p.pid(), p.comm(), p.stateName(), p.vmas().size(), virt, resident, shared, parent, lazy, notDumped);
    }
}
