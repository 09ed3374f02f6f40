package dev.stasis.analysis.load;

import dev.stasis.analysis.subject.MemoryHit;
import dev.stasis.analysis.subject.MemoryView;
import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.checkpoint.criu.PageRun;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.Vma;
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

/** Process memory through the memory module's search (one streaming pass, shared memory once). */
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
        return new KeywordScanner(memory, keywords).scan(pids, limit);
    }

    @Override
    public dev.stasis.memory.artefacts.ArtefactReport artefacts(List<Integer> pids) {
        Set<Integer> wanted = new HashSet<>();
        for (ProcessMemory p : memory.processes()) if (p.hasMemory() && pids.contains(p.pid())) wanted.add(p.pid());
        if (wanted.isEmpty()) return dev.stasis.memory.artefacts.ArtefactReport.EMPTY;
        return dev.stasis.memory.artefacts.MemoryArtefacts.scan(memory, new dev.stasis.memory.artefacts.MemoryArtefacts.Options(wanted));
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
