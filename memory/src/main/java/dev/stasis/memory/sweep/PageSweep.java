package dev.stasis.memory.sweep;

import dev.stasis.checkpoint.criu.PageRun;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.PageFile;
import dev.stasis.memory.ProcessMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One walk over each process's present pages for every subscriber at once.
 * Pages are read as stretches contiguous both in memory and in the pages image
 * (checkpoint's {@link PageRun#presentStretches}), in chunks of {@link #CHUNK}
 * bytes with {@link #BEFORE} bytes of context before and {@link #AFTER} after
 * (never beyond the stretch), so a pattern starting in one chunk can be parsed
 * in full and nothing joins two places not adjacent in memory. One
 * {@link MultiLiteral} over all subscribers' literals finds the occurrences;
 * each goes to its subscriber's visitor with the chunk around it. A big process
 * is cut into slices of consecutive chunks scanned on several threads, each slice
 * with visitors of its own, handed back to the subscriber in address order. The
 * heap holds one chunk buffer per thread whatever the checkpoint's size.
 */
public final class PageSweep {
    public static final int CHUNK = 4 << 20, BEFORE = 4096, AFTER = 16384;

    /**
     * How a sweep uses threads: a process with fewer than {@code parallelMin} bytes of pages is
     * scanned on the caller's thread (threads cost more than they save), a bigger one on at most
     * {@code threads}.
     */
    public record Tuning(int threads, long parallelMin) {
        public static final Tuning DEFAULT = new Tuning(Math.min(4, Runtime.getRuntime().availableProcessors()), 64L << 20);
    }

    /** What a subscriber does with the occurrences of its literals in one slice of one process's pages, in address order. */
    public interface Visitor {
        /**
         * Literal {@code k} (index in the subscriber's list) occurs at {@code buf[at]}; {@code buf[0, limit)} is
         * memory from address {@code base} on, all within one stretch of present pages.
         */
        void found(int k, byte[] buf, int at, int limit, long base);
    }

    /** A detector that needs page bytes: the literals it looks for and what it does with them. */
    public interface Subscriber {
        List<byte[]> literals();

        /** Whether this process's pages are for this subscriber (default: every process with memory). */
        default boolean wants(ProcessMemory p) {
            return true;
        }

        /** A fresh visitor for one slice of {@code p}'s pages (called on the sweep's threads). */
        Visitor visitor(ProcessMemory p);

        /** The visitors of all of {@code p}'s slices, in address order, once they are all done (on the caller's thread). */
        void done(ProcessMemory p, List<Visitor> slices);
    }

    private record Stretch(long vaddr, long fileStart, long length) {}

    /** One chunk to scan: {@code pos} bytes into its stretch. */
    private record Chunk(Stretch stretch, long pos) {}

    private final CheckpointMemory memory;
    private final List<? extends Subscriber> subscribers;
    private final MultiLiteral matcher;
    /** Global literal index to its subscriber and its index there. */
    private final int[] owner, local;
    private final Tuning tuning;

    private PageSweep(CheckpointMemory memory, List<? extends Subscriber> subscribers, Tuning tuning) {
        this.memory = memory;
        this.subscribers = List.copyOf(subscribers);
        this.tuning = tuning;
        List<byte[]> all = new ArrayList<>();
        List<Integer> owners = new ArrayList<>(), locals = new ArrayList<>();
        for (int s = 0; s < this.subscribers.size(); s++) {
            List<byte[]> ls = this.subscribers.get(s).literals();
            for (int k = 0; k < ls.size(); k++) {
                all.add(ls.get(k));
                owners.add(s);
                locals.add(k);
            }
        }
        this.matcher = new MultiLiteral(all);
        this.owner = owners.stream().mapToInt(Integer::intValue).toArray();
        this.local = locals.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Sweeps the pages of {@code processes} (those without memory are skipped) for every subscriber. */
    public static void run(CheckpointMemory memory, List<ProcessMemory> processes, List<? extends Subscriber> subscribers) {
        run(memory, processes, subscribers, Tuning.DEFAULT);
    }

    public static void run(CheckpointMemory memory, List<ProcessMemory> processes, List<? extends Subscriber> subscribers, Tuning tuning) {
        PageSweep sweep = new PageSweep(memory, subscribers, tuning);
        for (ProcessMemory p : processes) {
            if (!p.hasMemory()) continue;
            boolean[] active = new boolean[sweep.subscribers.size()];
            boolean any = false;
            for (int s = 0; s < active.length; s++) any |= active[s] = sweep.subscribers.get(s).wants(p);
            if (any) sweep.process(p, active);
        }
    }

    /** The visitors of one slice, one per subscriber (null for a subscriber not interested in the process). */
    private final class Slice implements MultiLiteral.Sink {
        final Visitor[] visitors;
        byte[] buf;
        int limit;
        long base;

        Slice(ProcessMemory p, boolean[] active) {
            visitors = new Visitor[subscribers.size()];
            for (int s = 0; s < visitors.length; s++) if (active[s]) visitors[s] = subscribers.get(s).visitor(p);
        }

        @Override
        public void found(int k, int at) {
            Visitor v = visitors[owner[k]];
            if (v != null) v.found(local[k], buf, at, limit, base);
        }
    }

    private void process(ProcessMemory p, boolean[] active) {
        PageFile file = memory.pageFile(p.pagemap().pagesImage());
        List<Chunk> chunks = new ArrayList<>();
        long total = 0;
        for (PageRun r : PageRun.presentStretches(p.pagemap().runs())) {
            Stretch s = new Stretch(r.vaddr(), r.fileOffset(), r.bytes());
            for (long pos = 0; pos < s.length; pos += CHUNK) chunks.add(new Chunk(s, pos));
            total += s.length;
        }
        int n = total < tuning.parallelMin() || tuning.threads() < 2 ? 1 : Math.min(tuning.threads(), chunks.size());
        List<Slice> slices = new ArrayList<>();
        if (n <= 1) {
            Slice sl = new Slice(p, active);
            scan(file, chunks, sl);
            slices.add(sl);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(n, Thread.ofPlatform().daemon().name("stasis-sweep-", 0).factory());
            try {
                List<Future<Slice>> futures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    List<Chunk> mine = chunks.subList(chunks.size() * i / n, chunks.size() * (i + 1) / n);
                    futures.add(pool.submit(() -> {
                        Slice sl = new Slice(p, active);
                        scan(file, mine, sl);
                        return sl;
                    }));
                }
                for (Future<Slice> f : futures) slices.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case RuntimeException re -> throw re;
                    case Error err -> throw err;
                    default -> throw new IllegalStateException(e.getCause());
                }
            } finally {
                // never shutdownNow(): interrupting a thread inside a FileChannel read closes the archive's channel
                pool.shutdown();
            }
        }
        for (int s = 0; s < active.length; s++) {
            if (!active[s]) continue;
            List<Visitor> vs = new ArrayList<>(slices.size());
            for (Slice sl : slices) vs.add(sl.visitors[s]);
            subscribers.get(s).done(p, vs);
        }
    }

    private void scan(PageFile file, List<Chunk> chunks, Slice slice) {
        byte[] buf = new byte[BEFORE + CHUNK + AFTER];
        slice.buf = buf;
        for (Chunk c : chunks) {
            Stretch s = c.stretch();
            long from = Math.max(0, c.pos() - BEFORE), to = Math.min(s.length, c.pos() + CHUNK + AFTER);
            int len = (int) (to - from);
            try {
                file.readFully(s.fileStart + from, ByteBuffer.wrap(buf, 0, len));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int start = (int) (c.pos() - from);
            slice.limit = len;
            slice.base = s.vaddr + from;
            matcher.scan(buf, start, start + (int) Math.min(CHUNK, s.length - c.pos()), len, slice);
        }
    }
}
