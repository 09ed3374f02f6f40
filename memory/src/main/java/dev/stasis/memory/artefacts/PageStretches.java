package dev.stasis.memory.artefacts;

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
import java.util.function.Supplier;

/**
 * A process's private pages as stretches contiguous both in memory and in the
 * pages image, read in big chunks with some bytes of context on either side,
 * so that a pattern starting in one chunk can be parsed in full. A big process
 * is cut into slices of consecutive chunks scanned on several threads, each
 * with a visitor of its own; the visitors come back in address order.
 */
final class PageStretches {
    static final int CHUNK = 4 << 20, BEFORE = 4096, AFTER = 16384;
    /** Below this many bytes of pages one thread does it all (threads cost more than they save); not final so tests can force slices. */
    static long parallelMin = 64L << 20;
    /** Threads for a big process (the machine's cores, at most 4); not final so tests can force several. */
    static int threads = Math.min(4, Runtime.getRuntime().availableProcessors());

    private PageStretches() {}

    /** What a scan does with one chunk: positions {@code [from, to)} of {@code buf[0, limit)} are new, at address {@code base} + index. */
    interface Visitor {
        void chunk(byte[] buf, int from, int to, int limit, long base);
    }

    private record Stretch(long vaddr, long fileStart, long length) {}

    /** One chunk to scan: {@code pos} bytes into its stretch. */
    private record Chunk(Stretch stretch, long pos) {}

    /** Scans every present page of {@code p}; returns the visitors used, in address order (one when the process is small). */
    static <V extends Visitor> List<V> scan(CheckpointMemory memory, ProcessMemory p, Supplier<V> visitors) {
        PageFile file = memory.pageFile(p.pagemap().pagesImage());
        List<Chunk> chunks = new ArrayList<>();
        long total = 0;
        for (Stretch s : stretches(p)) {
            for (long pos = 0; pos < s.length; pos += CHUNK) chunks.add(new Chunk(s, pos));
            total += s.length;
        }
        int slices = total < parallelMin || threads < 2 ? 1 : Math.min(threads, chunks.size());
        if (slices == 1) {
            V v = visitors.get();
            scan(file, chunks, v);
            return List.of(v);
        }
        ExecutorService pool = Executors.newFixedThreadPool(slices, r -> {
            Thread t = new Thread(r, "stasis-artefacts");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<V>> futures = new ArrayList<>();
            for (int i = 0; i < slices; i++) {
                List<Chunk> mine = chunks.subList(chunks.size() * i / slices, chunks.size() * (i + 1) / slices);
                futures.add(pool.submit(() -> {
                    V v = visitors.get();
                    scan(file, mine, v);
                    return v;
                }));
            }
            List<V> out = new ArrayList<>();
            for (Future<V> f : futures) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void scan(PageFile file, List<Chunk> chunks, Visitor visitor) {
        byte[] buf = new byte[BEFORE + CHUNK + AFTER];
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
            visitor.chunk(buf, start, start + (int) Math.min(CHUNK, s.length - c.pos()), len, s.vaddr + from);
        }
    }

    private static List<Stretch> stretches(ProcessMemory p) {
        return PageRun.presentStretches(p.pagemap().runs()).stream()
                .map(r -> new Stretch(r.vaddr(), r.fileOffset(), r.bytes()))
                .toList();
    }
}
