package dev.stasis.memory.search;

import dev.stasis.checkpoint.criu.PageRun;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.Pagemap;
import dev.stasis.memory.ProcessMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a search reads: for each selected process its own pagemap, and each shared-memory
 * object that one of them maps (scanned once, its hits then given to every mapper), each cut
 * into stretches of pages contiguous both in memory and in the pages image.
 */
final class SearchPlan {
    private SearchPlan() {}

    record Stretch(long fileStart, long fileEnd) {}

    /** A pagemap to scan and who sees its pages: one process, or every mapper of a shared object. */
    record Unit(Pagemap pagemap, ProcessMemory owner, long shmid, List<Stretch> stretches) {
        long bytes() {
            return stretches.stream().mapToLong(s -> s.fileEnd() - s.fileStart()).sum();
        }
    }

    static List<Unit> units(CheckpointMemory memory, MemorySearch.Options options) {
        List<ProcessMemory> procs = selected(memory, options);
        List<Unit> units = new ArrayList<>();
        for (ProcessMemory p : procs) if (p.hasMemory()) units.add(unit(p.pagemap(), p, -1));
        for (Map.Entry<Long, Pagemap> e : memory.sharedMemory().entrySet()) {
            boolean mapped = procs.stream().anyMatch(p -> p.vmas().stream().anyMatch(v -> v.shmem() == e.getKey()));
            if (mapped) units.add(unit(e.getValue(), null, e.getKey()));
        }
        return units;
    }

    static List<ProcessMemory> selected(CheckpointMemory memory, MemorySearch.Options options) {
        if (options.pids().isEmpty()) return memory.processes();
        return options.pids().stream().sorted().map(memory::process).toList();
    }

    private static Unit unit(Pagemap pm, ProcessMemory owner, long shmid) {
        List<Stretch> out = new ArrayList<>();
        long start = -1, end = -1, lastVaddrEnd = 0;
        for (PageRun r : pm.runs()) {
            if (!r.present()) continue;
            if (start >= 0 && r.vaddr() == lastVaddrEnd && r.fileOffset() == end) {
                end += r.bytes();
            } else {
                if (start >= 0) out.add(new Stretch(start, end));
                start = r.fileOffset();
                end = start + r.bytes();
            }
            lastVaddrEnd = r.end();
        }
        if (start >= 0) out.add(new Stretch(start, end));
        return new Unit(pm, owner, shmid, out);
    }
}
