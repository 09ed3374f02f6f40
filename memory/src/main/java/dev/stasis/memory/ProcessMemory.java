package dev.stasis.memory;

import dev.stasis.checkpoint.criu.AddressRanges;
import dev.stasis.checkpoint.criu.MmImage;
import java.util.List;

/**
 * One checkpointed process: identity from pstree/core, and, unless it is a
 * zombie or dead task (which have no memory images), its VMAs and pagemap.
 */
public record ProcessMemory(int pid, int ppid, int pgid, int sid, String comm, int taskState, List<Integer> threads,
                            List<Vma> vmas, Pagemap pagemap, MmImage mm) {
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
        return AddressRanges.find(vmas, addr, Vma::start, Vma::end);
    }
}
