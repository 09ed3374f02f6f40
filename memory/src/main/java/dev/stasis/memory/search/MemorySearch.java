package dev.stasis.memory.search;

import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.PageFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import dev.stasis.memory.search.SearchPlan.Stretch;
import dev.stasis.memory.search.SearchPlan.Unit;

/**
 * Searches the pages of a checkpoint. The unit of work is a <em>stretch</em>:
 * consecutive present pagemap runs whose addresses are contiguous, which are
 * also contiguous in the pages image. A stretch is read sequentially in big
 * chunks into one reused buffer, with the last bytes carried over so matches
 * across chunk, page, pagemap-entry and VMA boundaries are found, while a
 * match can never join two places that are not adjacent in memory. Shared
 * memory objects are scanned once and each match is reported for every
 * process that maps it. Heap use is one buffer whatever the checkpoint size.
 * Which pages and stretches are read is {@link SearchPlan}'s; turning a match
 * into hits, per process, with context, is {@link HitResolver}'s; this class
 * holds the scan strategies (mapped, parallel, copied, streamed).
 */
public final class MemorySearch {
    static final int CHUNK = 4 << 20;
    /** Bytes mapped at a time; not final so tests can cross window boundaries with small fixtures. */
    static int mapWindow = 256 << 20;
    /** Bytes read at a time when mapping is not possible; not final for the same reason. */
    static int chunk = CHUNK;
    /** Threads for a mapped literal search (the machine's cores, at most 4); not final so tests can force one. */
    static int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
    /** Occurrences of a regex's required literal one window may hold before the image is scanned sequentially instead. */
    private static final int REGEX_CANDIDATES = 1 << 20;
    /** Pages images smaller than this are scanned on the caller's thread (threads cost more than they save); not final for tests. */
    static long parallelMin = 64L << 20;

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

    private final CheckpointMemory memory;
    private final SearchPattern pattern;
    private final Options options;
    private final LongConsumer progress;
    private final HitResolver resolver;
    private long scanned;

    private MemorySearch(CheckpointMemory memory, SearchPattern pattern, Options options, LongConsumer progress) {
        this.memory = memory;
        this.pattern = pattern;
        this.options = options;
        this.progress = progress;
        this.resolver = new HitResolver(memory, options);
    }

    /** Total page bytes a search with these options reads (for a progress bar). */
    public static long plannedBytes(CheckpointMemory memory, Options options) {
        return SearchPlan.units(memory, options).stream().mapToLong(Unit::bytes).sum();
    }

    public static Result search(CheckpointMemory memory, SearchPattern pattern, Options options, LongConsumer progress) {
        MemorySearch s = new MemorySearch(memory, pattern, options, progress == null ? x -> {} : progress);
        s.run();
        return new Result(List.copyOf(s.resolver.hits()), s.resolver.truncated(), s.scanned);
    }

    private void run() {
        List<Unit> units = SearchPlan.units(memory, options);
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
            if (u.stretches().isEmpty()) continue;
            ReadableByteChannel stream;
            try {
                stream = file.sequential();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (stream != null) {
                boolean more;
                try (ReadableByteChannel in = stream) {
                    more = new StreamScan(u, file, in).run();      // its read-ahead thread has stopped before the channel closes
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (!more) return;
                continue;
            }
            Boolean parallel = scanMappedInParallel(u, file, overlap);
            if (parallel != null) {
                if (!parallel) return;
                continue;
            }
            for (Stretch s : u.stretches()) {
                if (!scanStretch(u, file, s, buf, overlap)) return;
            }
        }
    }

    /** A mapping window of a stretch: {@code n} bytes from {@code pos}, mapped with {@code len - n} bytes of overlap. */
    private record Slice(Stretch stretch, long pos, int n, int len) {}

    /**
     * A literal search over a mappable pages image bigger than one window runs its windows on
     * {@link #threads} threads: each collects the match offsets of its window (at most
     * maxHits + 1), and the caller reports them in file order, so hits, their order and the
     * truncation are exactly those of a sequential scan. A regex with a required literal works the
     * same way: the threads find the literal, the caller runs the regex around each occurrence.
     * Null when this does not apply (a regex without a required literal,
     * an unmappable file, a small image or a single window, one core); else false once the hit limit is reached.
     */
    private Boolean scanMappedInParallel(Unit u, PageFile file, int overlap) {
        int length;
        if (pattern instanceof SearchPattern.Literal l) length = l.bytes().length;
        else if (pattern instanceof SearchPattern.FoldedLiteral l) length = l.bytes().length;
        else if (pattern instanceof SearchPattern.Regex r && r.required() != null) length = r.required().length;
        else return null;
        if (threads < 2 || u.bytes() < parallelMin) return null;
        List<Slice> slices = new ArrayList<>();
        for (Stretch s : u.stretches()) {
            for (long pos = s.fileStart(); pos < s.fileEnd(); pos += mapWindow) {
                int n = (int) Math.min(mapWindow, s.fileEnd() - pos);
                slices.add(new Slice(s, pos, n, (int) Math.min((long) n + overlap, s.fileEnd() - pos)));
            }
        }
        try {
            if (slices.size() < 2 || file.map(slices.get(0).pos(), 0) == null) return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // never shutdownNow(): interrupting a thread inside FileChannel.map closes the archive's channel
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("stasis-scan-", 0).factory());
        List<Future<long[]>> found = new ArrayList<>();
        try {
            for (Slice sl : slices) found.add(pool.submit(() -> matchOffsets(file, sl)));
            if (pattern instanceof SearchPattern.Regex) {
                // a literal that occurs too often to hold its offsets: let the sequential scan handle the image
                for (Future<long[]> f : found) if (result(f).length > REGEX_CANDIDATES) return null;
            }
            long[] lastEnd = {-1};
            Stretch regexStretch = null;
            for (int i = 0; i < slices.size(); i++) {
                Slice sl = slices.get(i);
                if (sl.stretch() != regexStretch) {
                    regexStretch = sl.stretch();
                    lastEnd[0] = regexStretch.fileStart();
                }
                for (long off : result(found.get(i))) {
                    // a regex runs around each occurrence of its required literal, in file order, as the sequential scan does
                    boolean more = pattern instanceof SearchPattern.Regex r ? regexAround(u, sl.stretch(), file, r, off, lastEnd)
                            : resolver.report(u, off, length);
                    if (!more) return false;
                }
                scanned += sl.n();
                progress.accept(scanned);
            }
            return true;
        } finally {
            for (Future<long[]> f : found) f.cancel(false);
            pool.shutdown();
        }
    }

    /** File offsets of the matches starting in one window (the overlap only completes them). */
    private long[] matchOffsets(PageFile file, Slice sl) throws IOException {
        ByteBuffer w = file.map(sl.pos(), sl.len());
        long[][] out = {new long[8]};
        int[] count = {0};
        // literal: one more than the hit limit tells the caller it was reached; regex: candidates, not hits
        int cap = pattern instanceof SearchPattern.Regex ? REGEX_CANDIDATES : options.maxHits();
        LiteralScanner.Sink sink = off -> {
            if (off >= sl.n()) return true;
            if (count[0] == out[0].length) out[0] = java.util.Arrays.copyOf(out[0], count[0] * 2);
            out[0][count[0]++] = sl.pos() + off;
            return count[0] <= cap;
        };
        switch (pattern) {
            case SearchPattern.Literal l -> new LiteralScanner(l.bytes()).scan(w, 0, sl.len(), sink);
            case SearchPattern.FoldedLiteral l -> new FoldedScanner(l.bytes()).scan(w, 0, sl.len(), sink);
            case SearchPattern.Regex r when r.required() != null -> new LiteralScanner(r.required()).scan(w, 0, sl.len(), sink);
            case SearchPattern.Regex r -> throw new IllegalStateException("a regex without a required literal is scanned sequentially");
        }
        return java.util.Arrays.copyOf(out[0], count[0]);
    }

    private static long[] result(Future<long[]> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.stasis.memory.MemoryException("interrupted while searching");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                case IOException io -> throw new UncheckedIOException(io);
                default -> throw new IllegalStateException(e.getCause());
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
                        off -> off >= limit || resolver.report(u, base + off, l.bytes().length));
                case SearchPattern.FoldedLiteral l -> new FoldedScanner(l.bytes()).scan(w, 0, len,
                        off -> off >= limit || resolver.report(u, base + off, l.bytes().length));
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
                        off -> resolver.report(u, base + off, l.bytes().length));
                case SearchPattern.FoldedLiteral l -> new FoldedScanner(l.bytes()).scan(buf, 0, dataEnd,
                        off -> resolver.report(u, base + off, l.bytes().length));
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
            if (!resolver.report(u, base + m.start(), m.end() - m.start())) return false;
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
            if (!resolver.report(u, from + m.start(), m.end() - m.start())) return false;
        }
        return true;
    }

    /**
     * One sequential pass over a pages image that only streams cheaply (a compressed archive):
     * every stretch is scanned as the bytes go by, in two alternating buffers so that the chunk
     * before the current one is still at hand. A match cannot be reported on the spot (its context
     * is read through the address space, i.e. by random access), so it waits with a window of the
     * file bytes around it; once the stream has passed the window, the bytes are handed to the
     * page file ({@link PageFile#remember}) and the match is reported from them.
     */
    private final class StreamScan {
        private final Unit u;
        private final PageFile file;
        private final ReadableByteChannel in;
        private final List<Stretch> stretches;
        private final long end;
        private final int carryLen;
        private final int chunkSize;
        private final List<Pending> pending = new ArrayList<>();
        private final List<Window> filling = new ArrayList<>();
        private final long[] lastEnd;
        private final long[] handledTo;
        private long windowBytes;
        private boolean stop;
        /** The chunk being scanned: file offset {@code base} at index 0, valid {@code [curFrom, curLen)}; and the one before. */
        private ByteBuffer cur, prev;
        private long base, prevBase;
        private int curFrom, curLen, prevFrom, prevLen;

        StreamScan(Unit u, PageFile file, ReadableByteChannel in) {
            this.u = u;
            this.file = file;
            this.in = in;
            this.stretches = u.stretches();
            this.end = stretches.get(stretches.size() - 1).fileEnd();
            this.carryLen = switch (pattern) {
                case SearchPattern.Literal l -> l.bytes().length - 1;
                case SearchPattern.FoldedLiteral l -> l.bytes().length - 1;
                // an occurrence of the required literal needs maxMatch bytes on either side in one buffer
                case SearchPattern.Regex r -> r.required() != null ? r.required().length + 2 * r.maxMatch() : r.maxMatch();
            };
            // the chunk before holds the context before any match: at least context + carry bytes
            this.chunkSize = Math.max(chunk, options.context() + carryLen + 1);
            this.lastEnd = new long[stretches.size()];
            this.handledTo = new long[stretches.size()];
            for (int k = 0; k < stretches.size(); k++) lastEnd[k] = handledTo[k] = stretches.get(k).fileStart();
        }

        /** False once the hit limit is reached. */
        boolean run() {
            long pos = 0;
            int first = 0;                                       // first stretch not yet scanned to its end
            try (ReadAhead ahead = new ReadAhead(in, carryLen, chunkSize, end, u.pagemap().pagesImage())) {
                while (pos < end && !(stop && filling.isEmpty())) {
                    ByteBuffer next = ahead.next();              // [carryLen, carryLen + n) holds the file's [pos, pos + n)
                    int carry = cur == null ? 0 : Math.min(carryLen, curLen - curFrom);
                    if (carry > 0) next.put(carryLen - carry, cur, curLen - carry, carry);
                    ahead.release(prev);
                    prev = cur;
                    prevBase = base;
                    prevFrom = curFrom;
                    prevLen = curLen;
                    cur = next;
                    int n = (int) Math.min(chunkSize, end - pos);
                    base = pos - carryLen;                       // file offset of cur[0]
                    curFrom = carryLen - carry;
                    curLen = carryLen + n;
                    long chunkEnd = pos + n;
                    for (Window w : filling) w.offer(base, cur, carryLen, curLen);
                    filling.removeIf(Window::complete);
                    if (!stop) {
                        long validFrom = pos - carry;
                        while (first < stretches.size() && stretches.get(first).fileEnd() <= validFrom) first++;
                        for (int k = first; k < stretches.size() && !stop; k++) {
                            Stretch s = stretches.get(k);
                            if (s.fileStart() >= chunkEnd) break;
                            scanPart(k, s, (int) (Math.max(s.fileStart(), validFrom) - base), (int) (Math.min(s.fileEnd(), chunkEnd) - base),
                                    s.fileEnd() <= chunkEnd);
                            long fresh = Math.min(s.fileEnd(), chunkEnd) - Math.max(s.fileStart(), pos);
                            if (fresh > 0) scanned += fresh;
                        }
                        progress.accept(scanned);
                    }
                    pos = chunkEnd;
                }
            }
            for (Pending p : pending) if (p.window() != null && p.window().complete()) file.remember(p.window().start, p.window().bytes);
            for (Pending p : pending) if (!resolver.report(u, p.fileOffset(), p.length())) return false;
            return !stop;
        }

        /** Scans buffer {@code [lo, hi)} of stretch {@code k}; {@code last} when the stretch ends in this chunk. */
        private void scanPart(int k, Stretch s, int lo, int hi, boolean last) {
            switch (pattern) {
                case SearchPattern.Literal l -> new LiteralScanner(l.bytes()).scan(cur, lo, hi,
                        off -> pend(s, base + off, l.bytes().length));
                case SearchPattern.FoldedLiteral l -> new FoldedScanner(l.bytes()).scan(cur, lo, hi,
                        off -> pend(s, base + off, l.bytes().length));
                case SearchPattern.Regex r when r.required() != null -> {
                    // occurrences too close to the chunk's end to see maxMatch bytes after them wait for the next chunk
                    long limit = last ? Long.MAX_VALUE : base + hi - r.required().length - r.maxMatch();
                    int from = (int) Math.max(lo, handledTo[k] - base);
                    if (from < hi) new LiteralScanner(r.required()).scan(cur, from, hi,
                            off -> base + off >= limit || regexAround(k, s, r, base + off, hi));
                    handledTo[k] = Math.max(handledTo[k], Math.min(limit, base + hi));
                }
                case SearchPattern.Regex r -> {
                    Matcher m = r.pattern().matcher(new ByteChars(cur, lo, hi));
                    m.useTransparentBounds(true).useAnchoringBounds(false);
                    int from = (int) Math.max(0, lastEnd[k] - base - lo);
                    if (from >= hi - lo) return;
                    m.region(from, hi - lo);
                    while (m.find()) {
                        if (!last && m.start() >= hi - lo - r.maxMatch()) break;   // may grow with the next chunk
                        lastEnd[k] = base + lo + m.end();
                        if (!pend(s, base + lo + m.start(), m.end() - m.start())) return;
                    }
                }
            }
        }

        /** The regex around one occurrence of its required literal, from the current buffer. */
        private boolean regexAround(int k, Stretch s, SearchPattern.Regex r, long at, int hi) {
            int lit = r.required().length;
            if (at + lit <= lastEnd[k]) return true;               // inside a match already found
            long from = Math.max(Math.max(Math.max(s.fileStart(), at - r.maxMatch()), lastEnd[k]), base + curFrom);
            long to = Math.min(Math.min(s.fileEnd(), at + lit + r.maxMatch()), base + hi);
            Matcher m = r.pattern().matcher(new ByteChars(cur, (int) (from - base), (int) (to - base)));
            m.useTransparentBounds(true).useAnchoringBounds(false);
            while (m.find()) {
                if (from + m.start() > at) break;                     // later matches belong to later occurrences
                lastEnd[k] = from + m.end();
                if (!pend(s, from + m.start(), m.end() - m.start())) return false;
            }
            return true;
        }

        /** Queues a match and starts collecting the bytes around it; false once the hit limit is reached. */
        private boolean pend(Stretch s, long fileOffset, int length) {
            if (resolver.hits().size() + pending.size() >= options.maxHits()) {
                resolver.truncate();
                stop = true;
                return false;
            }
            long from = Math.max(0, fileOffset - options.context());
            long to = Math.min(end, fileOffset + length + options.context());
            Window w = null;
            if (windowBytes + (to - from) <= REMEMBER_BUDGET) {
                w = new Window(from, new byte[(int) (to - from)]);
                windowBytes += to - from;
                if (prev != null) w.offer(prevBase, prev, prevFrom, prevLen);
                w.offer(base, cur, curFrom, curLen);
                if (!w.complete()) filling.add(w);
            }
            pending.add(new Pending(s, fileOffset, length, w));
            return true;
        }
    }

    /** Bytes of hit context a streamed scan keeps in memory; hits beyond it read their context by random access. */
    static final long REMEMBER_BUDGET = 64L << 20;

    /** A match found in a streamed pass, reported once the bytes around it have been collected. */
    private record Pending(Stretch stretch, long fileOffset, int length, Window window) {}

    /** The file bytes {@code [start, start+bytes.length)}, filled in stream order as they go by. */
    private static final class Window {
        final long start;
        final byte[] bytes;
        long filledTo;

        Window(long start, byte[] bytes) {
            this.start = start;
            this.bytes = bytes;
            this.filledTo = start;
        }

        /** Copies what of buffer {@code [from, to)} (file offset {@code base} at index 0) falls in the window. */
        void offer(long base, ByteBuffer buf, int from, int to) {
            long lo = Math.max(start, base + from);
            long hi = Math.min(start + bytes.length, base + to);
            if (lo >= hi || lo > filledTo) return;                   // nothing new, or a hole before it (not expected)
            buf.get((int) (lo - base), bytes, (int) (lo - start), (int) (hi - lo));
            filledTo = Math.max(filledTo, hi);
        }

        boolean complete() {
            return filledTo >= start + bytes.length;
        }
    }

}
