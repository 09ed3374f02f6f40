package dev.stasis.analysis.subject;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Search over the processes' memory in the checkpoint. Patterns are matched
 * against the bytes read as ISO-8859-1 (one char per byte), so a regex can
 * describe binary protocols and text alike.
 */
public interface MemoryView {
    /** Matches of the pattern in one process's memory, at most {@code limit}, in address order. */
    List<MemoryHit> search(int pid, Pattern pattern, int limit);

    /**
     * Matches in every process's memory in one pass (shared memory scanned once,
     * reported for each process mapping it), at most {@code limit} in all.
     */
    default List<MemoryHit> searchAll(List<Integer> pids, Pattern pattern, int limit) {
        List<MemoryHit> out = new java.util.ArrayList<>();
        for (int pid : pids) {
            if (out.size() >= limit) break;
            out.addAll(search(pid, pattern, limit - out.size()));
        }
        return out;
    }

    /**
     * One pass over the memory of the given processes looking for several
     * literals at once; around each occurrence, the keyword's regex is matched
     * and the match that covers the literal is returned. This is the fast path
     * the built-in detectors use (rules use {@link #search}).
     */
    default List<MemoryHit> scanKeywords(List<Integer> pids, List<Keyword> keywords, int limit) {
        List<MemoryHit> out = new java.util.ArrayList<>();
        for (Keyword k : keywords) {
            for (MemoryHit h : searchAll(pids, k.around(), limit)) {
                if (h.text().contains(k.literal()) && out.size() < limit) out.add(h);
            }
        }
        return out;
    }

    /**
     * What the built-in detectors read from these processes' pages, from one sweep over them:
     * {@link #scanKeywords}' hits and {@link #artefacts}' report, exactly as those give them.
     */
    default Sweep sweep(List<Integer> pids, List<Keyword> keywords, int limit) {
        return new Sweep(scanKeywords(pids, keywords, limit), artefacts(pids));
    }

    /** The keyword hits and the memory artefacts of one sweep. */
    record Sweep(List<MemoryHit> keywords, dev.stasis.memory.artefacts.ArtefactReport artefacts) {
        public Sweep {
            keywords = List.copyOf(keywords);
        }
    }

    /** A literal to find and the regex that gives the whole match around it (it must contain the literal). */
    record Keyword(String literal, Pattern around) {}

    /**
     * Shell and REPL history and credentials recovered from these processes' memory
     * (memory module's artefacts package); empty when the view has no process memory.
     */
    default dev.stasis.memory.artefacts.ArtefactReport artefacts(List<Integer> pids) {
        return dev.stasis.memory.artefacts.ArtefactReport.EMPTY;
    }

    /** The number of bytes of memory the checkpoint holds for a process (0 when none). */
    long residentBytes(int pid);

    /**
     * Writes the process's memory contents to a sink, region by region, back to
     * back (for YARA), and returns where each region landed so offsets in the
     * dump map back to virtual addresses. Empty when the process has no memory.
     */
    List<Segment> dump(int pid, java.io.OutputStream out) throws java.io.IOException;

    /** A region of a dump: {@code length} bytes at {@code offset} in the dump are memory at {@code address}. */
    record Segment(long offset, long address, long length) {}

    /** The virtual address of a dump offset, or -1. */
    static long addressOf(List<Segment> segments, long offset) {
        for (Segment s : segments) if (offset >= s.offset() && offset < s.offset() + s.length()) return s.address() + (offset - s.offset());
        return -1;
    }

    MemoryView NONE = new MemoryView() {
        @Override
        public List<MemoryHit> search(int pid, Pattern pattern, int limit) {
            return List.of();
        }

        @Override
        public long residentBytes(int pid) {
            return 0;
        }

        @Override
        public List<Segment> dump(int pid, java.io.OutputStream out) {
            return List.of();
        }
    };
}
