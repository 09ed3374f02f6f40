package dev.stasis.memory.search;

import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.PageFile;
import dev.stasis.memory.PageRun;
import dev.stasis.memory.Pagemap;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.Vma;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;

/**
 * Searches the pages of a checkpoint. The unit of work is a <em>stretch</em>:
 * consecutive present pagemap runs whose addresses are contiguous, which are
 * also contiguous in the pages image. A stretch is read sequentially in big
 * chunks into one reused buffer, with the last bytes carried over so matches
 * across chunk, page, pagemap-entry and VMA boundaries are found, while a
 * match can never join two places that are not adjacent in memory. Shared
 * memory objects are scanned once and each match is reported for every
 * process that maps it. Heap use is one buffer whatever the checkpoint size.
 */
public final class MemorySearch {
    static final int CHUNK = 4 << 20;
    /** Bytes mapped at a time; not final so tests can cross window boundaries with small fixtures. */
    static int mapWindow = 256 << 20;
    /** Bytes read at a time when mapping is not possible; not final for the same reason. */
    static int chunk = CHUNK;

    /** {@code pids} empty means every process. */
    public record Options(Set<Integer> pids, int context, int maxHits) {
        public Options {
            pids = Set.copyOf(pids);
            if (context < 0 || context > 1 << 16) throw new IllegalArgumentException("context must be 0..65536");
            if (maxHits <= 0) throw new IllegalArgumentException("max hits must be positive");
        }
    }

    /** The hits, whether {@code maxHits} cut them short, and how many page bytes were scanned. */
    public record Result(List<SearchHit> hits, boolean truncated, long bytesScanned) {}

    private record Stretch(long fileStart, long fileEnd) {}

    /** A pagemap to scan and who sees its pages: one process, or every mapper of a shared object. */
    private record Unit(Pagemap pagemap, ProcessMemory owner, long shmid, List<Stretch> stretches) {
        long bytes() {
            return stretches.stream().mapToLong(s -> s.fileEnd - s.fileStart).sum();
        }
    }

    private final CheckpointMemory memory;
    private final SearchPattern pattern;
    private final Options options;
    private final LongConsumer progress;
    private final List<SearchHit> hits = new ArrayList<>();
    private final Map<Integer, AddressSpace> spaces = new LinkedHashMap<>();
    private boolean truncated;
    private long scanned;

    private MemorySearch(CheckpointMemory memory, SearchPattern pattern, Options options, LongConsumer progress) {
        this.memory = memory;
        this.pattern = pattern;
        this.options = options;
        this.progress = progress;
    }

    /** Total page bytes a search with these options reads (for a progress bar). */
    public static long plannedBytes(CheckpointMemory memory, Options options) {
        return units(memory, options).stream().mapToLong(Unit::bytes).sum();
    }

    public static Result search(CheckpointMemory memory, SearchPattern pattern, Options options, LongConsumer progress) {
        MemorySearch s = new MemorySearch(memory, pattern, options, progress == null ? x -> {} : progress);
        s.run();
        return new Result(List.copyOf(s.hits), s.truncated, s.scanned);
    }

    private static List<Unit> units(CheckpointMemory memory, Options options) {
        List<ProcessMemory> procs = selected(memory, options);
        List<Unit> units = new ArrayList<>();
        for (ProcessMemory p : procs) if (p.hasMemory()) units.add(unit(p.pagemap(), p, -1));
        for (Map.Entry<Long, Pagemap> e : memory.sharedMemory().entrySet()) {
            boolean mapped = procs.stream().anyMatch(p -> p.vmas().stream().anyMatch(v -> v.shmem() == e.getKey()));
            if (mapped) units.add(unit(e.getValue(), null, e.getKey()));
        }
        return units;
    }

    private static List<ProcessMemory> selected(CheckpointMemory memory, Options options) {
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

    private void run() {
        List<Unit> units = units(memory, options);
        int overlap = switch (pattern) {
            case SearchPattern.Literal l -> l.bytes().length - 1;
            case SearchPattern.FoldedLiteral l -> l.bytes().length - 1;
            case SearchPattern.Regex r -> r.required() != null ? r.required().length - 1 : r.maxMatch();
        };
        ByteBuffer buf = ByteBuffer.allocateDirect(chunk + overlap).order(ByteOrder.LITTLE_ENDIAN);
        for (Unit u : units) {
            PageFile file = memory.pageFile(u.pagemap().pagesImage());
            if (u.pagemap().presentBytes() > file.size())
                throw new dev.stasis.memory.MemoryException(u.pagemap().image() + " accounts for " + u.pagemap().presentBytes() + " bytes but "
                        + u.pagemap().pagesImage() + " has only " + file.size());
            for (Stretch s : u.stretches()) {
                if (!scanStretch(u, file, s, buf, overlap)) return;
            }
        }
    }

    /** Scans one stretch, in place when the pages image can be mapped; false once the hit limit is reached. */
    private boolean scanStretch(Unit u, PageFile file, Stretch s, ByteBuffer buf, int overlap) {
        boolean fullRegex = pattern instanceof SearchPattern.Regex r && r.required() == null;
        if (!fullRegex) {
            try {
                if (file.map(s.fileStart(), 0) != null) return scanMapped(u, file, s, overlap);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scanCopied(u, file, s, buf, overlap);
    }

    /**
     * Scans mapped windows of the pages image directly. Each window extends {@code overlap}
     * bytes into the next so a match starting in it is complete; matches starting in that
     * extension are left to the next window.
     */
    private boolean scanMapped(Unit u, PageFile file, Stretch s, int overlap) {
        long[] lastEnd = {s.fileStart()};
        for (long pos = s.fileStart(); pos < s.fileEnd(); ) {
            int n = (int) Math.min(mapWindow, s.fileEnd() - pos);
            int len = (int) Math.min((long) n + overlap, s.fileEnd() - pos);
            ByteBuffer w;
            try {
                w = file.map(pos, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            final long base = pos;
            final int limit = n;
            boolean more = switch (pattern) {
                case SearchPattern.Literal l -> new LiteralScanner(l.bytes()).scan(w, 0, len,
                        off -> off >= limit || report(u, s, base + off, l.bytes().length));
                case SearchPattern.FoldedLiteral l -> new FoldedScanner(l.bytes()).scan(w, 0, len,
                        off -> off >= limit || report(u, s, base + off, l.bytes().length));
                case SearchPattern.Regex r -> new LiteralScanner(r.required()).scan(w, 0, len,
                        off -> off >= limit || regexAround(u, s, file, r, base + off, lastEnd));
            };
            scanned += n;
            progress.accept(scanned);
            if (!more) return false;
            pos += n;
        }
        return true;
    }

    /** Scans one stretch chunk by chunk through a reused buffer; returns false once the hit limit is reached. */
    private boolean scanCopied(Unit u, PageFile file, Stretch s, ByteBuffer buf, int overlap) {
        int carry = 0;
        long pos = s.fileStart();
        long[] lastEnd = {s.fileStart()};
        while (pos < s.fileEnd()) {
            int n = (int) Math.min(chunk, s.fileEnd() - pos);
            ByteBuffer dst = buf.duplicate().position(carry).limit(carry + n);
            try {
                file.readFully(pos, dst);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int dataEnd = carry + n;
            long base = pos - carry;             // file offset of buf[0]
            boolean last = pos + n == s.fileEnd();
            boolean more = switch (pattern) {
                case SearchPattern.Literal l -> new LiteralScanner(l.bytes()).scan(buf, 0, dataEnd,
                        off -> report(u, s, base + off, l.bytes().length));
                case SearchPattern.FoldedLiteral l -> new FoldedScanner(l.bytes()).scan(buf, 0, dataEnd,
                        off -> report(u, s, base + off, l.bytes().length));
                case SearchPattern.Regex r when r.required() != null -> new LiteralScanner(r.required()).scan(buf, 0, dataEnd,
                        off -> regexAround(u, s, file, r, base + off, lastEnd));
                case SearchPattern.Regex r -> regexChunk(u, s, r, buf, base, dataEnd, last, lastEnd);
            };
            scanned += n;
            progress.accept(scanned);
            if (!more) return false;
            pos += n;
            carry = Math.min(overlap, dataEnd);
            buf.put(0, buf, dataEnd - carry, carry);
        }
        return true;
    }

    /** Full regex scan of a chunk; matches starting in the last {@code maxMatch} bytes wait for the next chunk. */
    private boolean regexChunk(Unit u, Stretch s, SearchPattern.Regex r, ByteBuffer buf, long base, int dataEnd, boolean last, long[] lastEnd) {
        Matcher m = r.pattern().matcher(new ByteChars(buf, 0, dataEnd));
        m.useTransparentBounds(true).useAnchoringBounds(false);
        int from = (int) Math.max(0, lastEnd[0] - base);
        if (from >= dataEnd) return true;
        m.region(from, dataEnd);
        while (m.find()) {
            if (!last && m.start() >= dataEnd - r.maxMatch()) break;
            lastEnd[0] = base + m.end();
            if (!report(u, s, base + m.start(), m.end() - m.start())) return false;
        }
        return true;
    }

    /** Runs the regex around one occurrence of its required literal, within the stretch. */
    private boolean regexAround(Unit u, Stretch s, PageFile file, SearchPattern.Regex r, long at, long[] lastEnd) {
        int lit = r.required().length;
        if (at + lit <= lastEnd[0]) return true;                 // inside a match already reported
        long from = Math.max(Math.max(s.fileStart(), at - r.maxMatch()), lastEnd[0]);
        long to = Math.min(s.fileEnd(), at + lit + r.maxMatch());
        ByteBuffer w = ByteBuffer.allocate((int) (to - from));
        try {
            file.readFully(from, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher m = r.pattern().matcher(new ByteChars(w, 0, w.capacity()));
        m.useTransparentBounds(true).useAnchoringBounds(false);
        while (m.find()) {
            if (from + m.start() > at) break;                     // later matches belong to later occurrences
            lastEnd[0] = from + m.end();
            if (!report(u, s, from + m.start(), m.end() - m.start())) return false;
        }
        return true;
    }

    /** Turns a match at a pages-image offset into hits for every process that sees it. */
    private boolean report(Unit u, Stretch s, long fileOffset, int length) {
        PageRun run = runAt(u.pagemap(), fileOffset);
        long where = run.vaddr() + (fileOffset - run.fileOffset());
        if (u.owner() != null) return add(u.owner(), where, length, u, fileOffset, false);
        for (ProcessMemory p : selected(memory, options)) {
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
