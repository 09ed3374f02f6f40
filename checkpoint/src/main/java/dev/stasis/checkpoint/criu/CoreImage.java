package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.Core;
import java.util.Optional;

/**
 * One thread's {@code core-<tid>.img}: the task-wide part ({@code tc}, written for a task's
 * main thread), the thread's own state and, on x86_64, its registers. A part the image does
 * not hold is null.
 *
 * @param machine CRIU's {@code mtype} name ({@code X86_64}, {@code AARCH64}, ...)
 * @param x86     the x86 registers ({@code thread_info}); null for other machines or when not saved
 */
public record CoreImage(String machine, Task task, ThreadState thread, X86Registers x86) {
    /**
     * {@code task_core_entry}: the task's command name, its CRIU task state (1 alive, 2 dead,
     * 3 stopped, 6 zombie), its kernel task flags and its blocked-signal mask.
     */
    public record Task(String comm, int state, int exitCode, long flags, long blockedSignals) {}

    /**
     * {@code thread_core_entry}: what is per thread; each field null when CRIU did not save it.
     * {@code uid}/{@code gid} are the real ids of the thread's credentials.
     */
    public record ThreadState(String comm, Long blockedSignals, Integer schedNice, Long uid, Long gid) {}

    /** The first entry of a decoded core image, or empty when it has none. */
    public static Optional<CoreImage> read(CriuImage core) {
        if (core.entries().isEmpty() || !(core.entries().getFirst().message() instanceof Core.core_entry c)) return Optional.empty();
        Task task = null;
        if (c.hasTc()) {
            Core.task_core_entry tc = c.getTc();
            task = new Task(tc.getComm(), tc.getTaskState(), tc.getExitCode(), Integer.toUnsignedLong(tc.getFlags()), tc.getBlkSigset());
        }
        ThreadState thread = null;
        if (c.hasThreadCore()) {
            Core.thread_core_entry t = c.getThreadCore();
            thread = new ThreadState(t.hasComm() ? t.getComm() : null, t.hasBlkSigset() ? t.getBlkSigset() : null,
                    t.hasSchedNice() ? t.getSchedNice() : null,
                    t.hasCreds() ? Integer.toUnsignedLong(t.getCreds().getUid()) : null,
                    t.hasCreds() ? Integer.toUnsignedLong(t.getCreds().getGid()) : null);
        }
        X86Registers x86 = c.hasThreadInfo() ? X86Registers.of(c.getThreadInfo()) : null;
        return Optional.of(new CoreImage(c.getMtype().name(), task, thread, x86));
    }
}
