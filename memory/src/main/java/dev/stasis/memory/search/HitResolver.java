package dev.stasis.memory.search;

import dev.stasis.checkpoint.criu.PageRun;
import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.Pagemap;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.Vma;
import dev.stasis.memory.search.SearchPlan.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns matches at pages-image offsets into hits: the address each process sees them at
 * (every mapper of a shared object that has no copied-on-write page of its own there), the
 * VMA, and the context around them read through the address space, up to the hit limit.
 */
final class HitResolver {
    private final CheckpointMemory memory;
    private final MemorySearch.Options options;
    private final List<SearchHit> hits = new ArrayList<>();
    private final Map<Integer, AddressSpace> spaces = new LinkedHashMap<>();
    private boolean truncated;

    HitResolver(CheckpointMemory memory, MemorySearch.Options options) {
        this.memory = memory;
        this.options = options;
    }

    List<SearchHit> hits() {
        return hits;
    }

    boolean truncated() {
        return truncated;
    }

    /** The hit limit was reached before every match could be reported. */
    void truncate() {
        truncated = true;
    }

    /** Turns a match at a pages-image offset into hits for every process that sees it. */
    boolean report(Unit u, long fileOffset, int length) {
        PageRun run = runAt(u.pagemap(), fileOffset);
        long where = run.vaddr() + (fileOffset - run.fileOffset());
        if (u.owner() != null) return add(u.owner(), where, length, u, fileOffset, false);
        for (ProcessMemory p : SearchPlan.selected(memory, options)) {
            if (!p.hasMemory()) continue;
            for (Vma v : p.vmas()) {
                if (v.shmem() != u.shmid()) continue;
                long rel = where - v.pgoff();
                if (rel < 0 || rel >= v.size()) continue;
                long addr = v.start() + rel;
                PageRun own = p.pagemap().find(addr);
                if (own != null && own.present()) continue;       // the process has its own (copied-on-write) page there
                if (!add(p, addr, length, u, fileOffset, true)) return false;
            }
        }
        return true;
    }

    private boolean add(ProcessMemory p, long addr, int length, Unit u, long fileOffset, boolean shared) {
        if (hits.size() >= options.maxHits()) {
            truncated = true;
            return false;
        }
        AddressSpace as = spaces.computeIfAbsent(p.pid(), memory::addressSpace);
        Vma vma = p.vmaAt(addr);
        byte[] match = new byte[length];
        as.read(addr, match, 0, length);
        long lo = vma == null ? addr : Math.max(vma.start(), addr - options.context());
        long hi = vma == null ? addr + length : Math.min(vma.end(), addr + length + options.context());
        byte[] before = new byte[(int) (addr - lo)];
        byte[] after = new byte[(int) Math.max(0, hi - addr - length)];
        as.read(lo, before, 0, before.length);
        as.read(addr + length, after, 0, after.length);
        hits.add(new SearchHit(p.pid(), p.comm(), addr, vma, match, before, after, u.pagemap().pagesImage(), fileOffset, shared));
        return true;
    }

    private static PageRun runAt(Pagemap pm, long fileOffset) {
        List<PageRun> runs = pm.runs();
        int lo = 0, hi = runs.size() - 1;
        PageRun best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            PageRun r = runs.get(mid);
            if (!r.present()) {
                // runs are sorted by address and present ones by file offset; step over gaps linearly
                int k = mid;
                while (k <= hi && !runs.get(k).present()) k++;
                if (k > hi) { hi = mid - 1; continue; }
                r = runs.get(k);
                mid = k;
            }
            if (fileOffset < r.fileOffset()) hi = mid - 1;
            else if (fileOffset >= r.fileOffset() + r.bytes()) lo = mid + 1;
            else { best = r; break; }
        }
        if (best == null) throw new IllegalStateException("offset " + fileOffset + " outside " + pm.pagesImage());
        return best;
    }
}
