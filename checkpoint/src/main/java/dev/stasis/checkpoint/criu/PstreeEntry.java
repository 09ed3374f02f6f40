package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.Pstree;
import java.util.ArrayList;
import java.util.List;

/**
 * One task of {@code pstree.img}: its ids and its threads. CRIU leaves {@code threads} empty for
 * a single-threaded task in some versions; {@code threads} here always holds at least the pid.
 */
public record PstreeEntry(int pid, int ppid, int pgid, int sid, List<Integer> threads) {
    public PstreeEntry {
        threads = List.copyOf(threads);
    }

    /** The tasks of a decoded {@code pstree.img}, in image order (parents before children). */
    public static List<PstreeEntry> read(CriuImage pstree) {
        List<PstreeEntry> out = new ArrayList<>(pstree.entries().size());
        for (ImageEntry e : pstree.entries()) {
            if (!(e.message() instanceof Pstree.pstree_entry t)) continue;
            List<Integer> threads = t.getThreadsCount() == 0 ? List.of(t.getPid()) : t.getThreadsList();
            out.add(new PstreeEntry(t.getPid(), t.getPpid(), t.getPgid(), t.getSid(), threads));
        }
        return out;
    }
}
