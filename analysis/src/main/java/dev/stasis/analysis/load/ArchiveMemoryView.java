package dev.stasis.analysis.load;

import dev.stasis.analysis.subject.MemoryHit;
import dev.stasis.analysis.subject.MemoryView;
import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.checkpoint.criu.PageRun;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.Vma;
import dev.stasis.memory.artefacts.ArtefactReport;
import dev.stasis.memory.artefacts.MemoryArtefacts;
import dev.stasis.memory.sweep.PageSweep;
import dev.stasis.memory.search.MemorySearch;
import dev.stasis.memory.search.SearchHit;
import dev.stasis.memory.search.SearchPattern;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Process memory through the memory module: rules' patterns through its search (one streaming
 * pass, shared memory once), the built-in detectors' keywords and the artefacts' credentials
 * through one page sweep ({@link #sweep}).
 */
final class ArchiveMemoryView implements MemoryView {
    /** Longest match a detector or rule pattern needs; IRC lines are at most ~410 bytes. */
    static final int MAX_MATCH = 512;

    private final CheckpointMemory memory;

    ArchiveMemoryView(CheckpointMemory memory) {
        this.memory = memory;
    }

    @Override
    public List<MemoryHit> search(int pid, Pattern pattern, int limit) {
        return searchAll(List.of(pid), pattern, limit);
    }

    @Override
    public List<MemoryHit> searchAll(List<Integer> pids, Pattern pattern, int limit) {
        Set<Integer> known = new HashSet<>();
        for (ProcessMemory p : memory.processes()) if (p.hasMemory()) known.add(p.pid());
        Set<Integer> wanted = new HashSet<>(pids);
        wanted.retainAll(known);
        if (wanted.isEmpty()) return List.of();
        SearchPattern sp = SearchPattern.regex(pattern.pattern(), (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0, MAX_MATCH);
        MemorySearch.Result r = MemorySearch.search(memory, sp, new MemorySearch.Options(wanted, 0, limit), null);
        List<MemoryHit> out = new ArrayList<>(r.hits().size());
        for (SearchHit h : r.hits()) out.add(new MemoryHit(h.pid(), h.address(), new String(h.match(), StandardCharsets.ISO_8859_1)));
        return out;
    }

    @Override
    public List<MemoryHit> scanKeywords(List<Integer> pids, List<Keyword> keywords, int limit) {
        return sweep(pids, keywords, limit, false).keywords();
    }

    @Override
    public ArtefactReport artefacts(List<Integer> pids) {
        return sweep(pids, List.of(), 1, true).artefacts();
    }

    @Override
    public Sweep sweep(List<Integer> pids, List<Keyword> keywords, int limit) {
        return sweep(pids, keywords, limit, true);
    }

    /** One page sweep over the processes for the keywords and, when asked, the artefacts' credentials. */
    private Sweep sweep(List<Integer> pids, List<Keyword> keywords, int limit, boolean withArtefacts) {
        List<ProcessMemory> procs = new ArrayList<>();
        Set<Integer> wanted = new HashSet<>();
        for (int pid : pids) {
            ProcessMemory p;
            try {
                p = memory.process(pid);
            } catch (RuntimeException e) {
                continue;
            }
            if (p.hasMemory() && wanted.add(pid)) procs.add(p);
        }
        List<PageSweep.Subscriber> subscribers = new ArrayList<>();
        KeywordScanner words = keywords.isEmpty() ? null : new KeywordScanner(keywords, limit);
        if (words != null) subscribers.add(words);
        MemoryArtefacts.Scan artefacts = withArtefacts && !wanted.isEmpty() ? MemoryArtefacts.prepare(memory, new MemoryArtefacts.Options(wanted)) : null;
        if (artefacts != null) subscribers.add(artefacts.subscriber());
        if (!subscribers.isEmpty()) PageSweep.run(memory, procs, subscribers);
        return new Sweep(words == null ? List.of() : words.hits(pids), artefacts == null ? ArtefactReport.EMPTY : artefacts.report());
    }

    @Override
    public long residentBytes(int pid) {
        try {
            ProcessMemory p = memory.process(pid);
            return p.hasMemory() ? p.pagemap().pages(PageRun::present) * dev.stasis.memory.Pagemap.PAGE_SIZE : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public List<Segment> dump(int pid, OutputStream out) throws IOException {
        ProcessMemory p;
        try {
            p = memory.process(pid);
        } catch (RuntimeException e) {
            return List.of();
        }
        if (!p.hasMemory()) return List.of();
        AddressSpace as = memory.addressSpace(pid);
        List<Segment> segs = new ArrayList<>();
        long offset = 0;
        byte[] buf = new byte[1 << 20];
        for (PageRun run : p.pagemap().runs()) {
            if (!run.present()) continue;
            Vma v = p.vmaAt(run.vaddr());
            if (v != null && v.is(Vma.AREA_VSYSCALL)) continue;
            long len = run.bytes();
            segs.add(new Segment(offset, run.vaddr(), len));
            for (long done = 0; done < len; ) {
                int n = (int) Math.min(buf.length, len - done);
                as.read(run.vaddr() + done, buf, 0, n);
                out.write(buf, 0, n);
                done += n;
            }
            offset += len;
        }
        return segs;
    }
}
