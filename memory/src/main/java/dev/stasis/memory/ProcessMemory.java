package dev.stasis.memory;

import dev.stasis.checkpoint.criu.images.Mm.mm_entry;
import java.util.List;

/**
 * One checkpointed process: identity from pstree/core, and, unless it is a
 * zombie or dead task (which have no memory images), its VMAs and pagemap.
 */
public record ProcessMemory(int pid, int ppid, int pgid, int sid, String comm, int taskState, List<Integer> threads,
                            List<Vma> vmas, Pagemap pagemap, mm_entry mm) {
    public static final int TASK_ALIVE = 1, TASK_DEAD = 2, TASK_STOPPED = 3, TASK_ZOMBIE = 6;

    public ProcessMemory {
        threads = List.copyOf(threads);
        vmas = List.copyOf(vmas);
    }

    public boolean hasMemory() {
        return mm != null;
    }

    public String stateName() {
        return switch (taskState) {
            case TASK_ALIVE -> "alive";
            case TASK_DEAD -> "dead (zombie)";  // CRIU saves zombies as dead tasks
            case TASK_STOPPED -> "stopped";
            case TASK_ZOMBIE -> "zombie";
            default -> "state " + taskState;
        };
    }

    /** The VMA covering {@code addr}, or null. */
    public Vma vmaAt(long addr) {
        int lo = 0, hi = vmas.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Vma v = vmas.get(mid);
            if (Long.compareUnsigned(addr, v.start()) < 0) hi = mid - 1;
            else if (Long.compareUnsigned(addr, v.end()) >= 0) lo = mid + 1;
            else return v;
        }
        return null;
    }
}
