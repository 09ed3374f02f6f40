package dev.stasis.analysis.load;

import dev.stasis.analysis.subject.MemoryHit;
import dev.stasis.analysis.subject.MemoryView.Keyword;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.sweep.PageSweep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The built-in detectors' keywords as a subscriber of the page sweep: the sweep
 * finds each keyword's literal, and only there is the keyword's regex run, over
 * the {@link #WINDOW} bytes on either side of it (never beyond its stretch of
 * pages), keeping the match that covers the literal.
 */
final class KeywordScanner implements PageSweep.Subscriber {
    /** Bytes of context on each side of an occurrence for the regex (within the sweep's context). */
    static final int WINDOW = 512;

    private final List<Keyword> keywords;
    private final List<byte[]> literals;
    private final int limit;
    private final Map<Integer, List<MemoryHit>> byPid = new HashMap<>();

    /** At most {@code limit} hits are kept in all ({@link #hits}). */
    KeywordScanner(List<Keyword> keywords, int limit) {
        this.keywords = List.copyOf(keywords);
        this.literals = this.keywords.stream().map(k -> k.literal().getBytes(StandardCharsets.ISO_8859_1)).toList();
        for (byte[] l : literals) if (l.length == 0) throw new IllegalArgumentException("empty keyword");
        this.limit = limit;
    }

    @Override
    public List<byte[]> literals() {
        return literals;
    }

    @Override
    public PageSweep.Visitor visitor(ProcessMemory p) {
        return new Slice(p.pid());
    }

    @Override
    public void done(ProcessMemory p, List<PageSweep.Visitor> slices) {
        List<MemoryHit> all = new ArrayList<>();
        for (PageSweep.Visitor v : slices) all.addAll(((Slice) v).hits);
        byPid.put(p.pid(), all);
    }

    /** The hits of these processes, process by process in this order, by address in each; at most the limit. */
    List<MemoryHit> hits(List<Integer> pids) {
        List<MemoryHit> out = new ArrayList<>();
        for (int pid : pids) {
            for (MemoryHit h : byPid.getOrDefault(pid, List.of())) {
                if (out.size() >= limit) return out;
                out.add(h);
            }
        }
        return out;
    }

    /** The hits in one slice of a process's pages (no more than the limit: later ones could never be kept). */
    private final class Slice implements PageSweep.Visitor {
        final int pid;
        final List<MemoryHit> hits = new ArrayList<>();

        Slice(int pid) {
            this.pid = pid;
        }

        @Override
        public void found(int k, byte[] buf, int at, int limit, long base) {
            if (hits.size() >= KeywordScanner.this.limit) return;
            MemoryHit h = around(k, buf, at, limit, base);
            if (h != null) hits.add(h);
        }

        /** The keyword's regex match covering the occurrence at {@code buf[at]}, or null. */
        private MemoryHit around(int k, byte[] buf, int at, int limit, long base) {
            int from = Math.max(0, at - WINDOW);
            int to = Math.min(limit, at + literals.get(k).length + WINDOW);
            String text = new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
            int litStart = at - from;
            int litEnd = litStart + literals.get(k).length;
            Matcher m = keywords.get(k).around().matcher(text);
            int searchFrom = Math.max(0, litStart - WINDOW);
            while (searchFrom <= litStart && m.find(searchFrom)) {
                if (m.start() > litStart) break;
                if (m.end() >= litEnd) return new MemoryHit(pid, base + from + m.start(), m.group());
                searchFrom = m.start() + 1;
            }
            return null;
        }
    }
}
