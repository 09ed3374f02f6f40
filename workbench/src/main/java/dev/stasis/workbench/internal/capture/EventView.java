package dev.stasis.workbench.internal.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.OutputFormat;
import dev.stasis.capture.filter.ScapEventView;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.capture.state.Event;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one capture that one filter selects, with the chosen columns rendered: built by one
 * pass over the capture (full state tracking, nothing of the capture kept in memory) into two files
 * of the workbench's state directory, then paged with two positional reads. The pass runs in the
 * background and publishes what it has written, so the first page is served as soon as it exists; a
 * finished view is kept ({@code .meta}) and reused by the next server run.
 *
 * <p>{@code NAME.bin}: per selected event 32 bytes, little-endian: ordinal among the visible events,
 * evt.num, evt.rawtime, offset of its row in {@code NAME.rows} (the row's length is the next offset's
 * difference; the last row ends at the file's end). A row is the columns' values joined by U+001F.
 */
public final class EventView implements Closeable {
    static final int ENTRY = 32;
    static final char SEP = '\u001f';
    static final int BUCKETS = 60;
    private static final int CHUNK = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path capture;
    private final Path bin, rows, meta;
    private final Filter filter;
    private final List<String> columns;
    private final FileChannel binCh, rowsCh;
    private final Object lock = new Object();
    private volatile long count;
    private volatile boolean done;
    private volatile String error;
    private volatile long buildMillis = -1;
    private volatile long[] histogram;
    private volatile long firstTs, lastTs;
    private volatile boolean closed;

    /** One row of the table. */
    public record Row(long ordinal, long num, long ts, List<String> values) {}

    /** A page: its rows, how many events are selected so far, and whether that count is final. */
    public record Page(List<Row> rows, long total, boolean complete, long buildMillis, String error) {}

    private EventView(Path capture, Path dir, String name, Filter filter, List<String> columns) throws IOException {
        this.capture = capture;
        this.filter = filter;
        this.columns = List.copyOf(columns);
        this.bin = dir.resolve(name + ".bin");
        this.rows = dir.resolve(name + ".rows");
        this.meta = dir.resolve(name + ".meta");
        Files.createDirectories(dir);
        if (Files.isRegularFile(meta) && loadMeta()) {
            this.binCh = FileChannel.open(bin, StandardOpenOption.READ);
            this.rowsCh = FileChannel.open(rows, StandardOpenOption.READ);
        } else {
            Files.deleteIfExists(meta);
            this.binCh = FileChannel.open(bin, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.rowsCh = FileChannel.open(rows, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
    }

    /** Opens the view, reusing a finished one from an earlier run; {@link #needsBuild()} says whether {@link #build()} must run. */
    static EventView open(Path capture, Path dir, String name, Filter filter, List<String> columns) throws IOException {
        return new EventView(capture, dir, name, filter, columns);
    }

    boolean needsBuild() {
        return !done;
    }

    public List<String> columns() {
        return columns;
    }

    private boolean loadMeta() {
        try {
            var n = JSON.readTree(meta.toFile());
            long c = n.path("count").asLong(-1);
            if (c < 0 || Files.size(bin) != c * ENTRY) return false;
            count = c;
            buildMillis = n.path("build_ms").asLong(-1);
            firstTs = n.path("first_ts").asLong();
            lastTs = n.path("last_ts").asLong();
            long[] h = new long[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) h[i] = n.path("histogram").path(i).asLong();
            histogram = h;
            done = true;
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The pass over the capture; runs on a worker thread. */
    void build() {
        long start = System.nanoTime();
        try (CaptureReader reader = CaptureReader.open(capture)) {
            List<OutputFormat> formats = new ArrayList<>();
            for (String c : columns) formats.add(OutputFormat.compile("%" + c));
            ByteBuffer entries = ByteBuffer.allocate(CHUNK * ENTRY).order(ByteOrder.LITTLE_ENDIAN);
            StringBuilder chunkRows = new StringBuilder(CHUNK * 128);
            ByteArrayOut rowBytes = new ByteArrayOut();
            long ordinal = 0, written = 0, rowOffset = 0;
            int pending = 0;
            ScapEventView view = null;
            long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
            for (Event e; (e = reader.next()) != null; ) {
                if (closed) return;
                if (e.isInternal()) continue;
                view = ScapEventView.of(view, e);
                long ord = ordinal++;
                if (filter != null && !filter.matches(view)) continue;
                chunkRows.setLength(0);
                for (int i = 0; i < formats.size(); i++) {
                    if (i > 0) chunkRows.append(SEP);
                    appendClean(chunkRows, formats.get(i).formatAll(view));
                }
                long off = rowOffset + rowBytes.size();
                rowBytes.writeUtf8(chunkRows);
                long ts = e.ts();
                first = Math.min(first, ts);
                last = Math.max(last, ts);
                entries.putLong(ord).putLong(e.num()).putLong(ts).putLong(off);
                if (++pending == CHUNK) {
                    rowOffset += flush(entries, rowBytes, written);
                    written += pending;
                    pending = 0;
                    count = written;
                }
            }
            if (pending > 0) {
                flush(entries, rowBytes, written);
                written += pending;
                count = written;
            }
            firstTs = written == 0 ? 0 : first;
            lastTs = written == 0 ? 0 : last;
            histogram = histogramOf(written);
            buildMillis = (System.nanoTime() - start) / 1_000_000;
            writeMeta(written);
            done = true;
        } catch (IOException | RuntimeException ex) {
            error = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage().lines().findFirst().orElse("");
            done = true;
        } finally {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /** Appends the chunk to both files (rows first, so a published entry's row is always there) and wakes waiting readers. */
    private long flush(ByteBuffer entries, ByteArrayOut rowBytes, long writtenBefore) throws IOException {
        long rowsLen = rowBytes.size();
        ByteBuffer r = ByteBuffer.wrap(rowBytes.buffer(), 0, rowBytes.size());
        long pos = rowsCh.size();
        while (r.hasRemaining()) pos += rowsCh.write(r, pos);
        entries.flip();
        long bpos = writtenBefore * ENTRY;
        while (entries.hasRemaining()) bpos += binCh.write(entries, bpos);
        entries.clear();
        rowBytes.reset();
        synchronized (lock) {
            lock.notifyAll();
        }
        return rowsLen;
    }

    private long[] histogramOf(long n) throws IOException {
        long[] h = new long[BUCKETS];
        if (n == 0) return h;
        long span = Math.max(1, lastTs - firstTs + 1);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i += CHUNK) {
            buf.clear();
            int want = (int) Math.min(CHUNK, n - i) * ENTRY;
            buf.limit(want);
            long pos = i * ENTRY;
            while (buf.hasRemaining()) {
                int got = binCh.read(buf, pos);
                if (got < 0) break;
                pos += got;
            }
            buf.flip();
            while (buf.remaining() >= ENTRY) {
                buf.getLong();
                buf.getLong();
                long ts = buf.getLong();
                buf.getLong();
                h[(int) Math.min(BUCKETS - 1, (ts - firstTs) * BUCKETS / span)]++;
            }
        }
        return h;
    }

    private void writeMeta(long n) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("count", n).put("build_ms", buildMillis).put("first_ts", firstTs).put("last_ts", lastTs);
        var arr = m.putArray("histogram");
        for (long v : histogram) arr.add(v);
        m.put("filter", filter == null ? "" : filter.text());
        var cols = m.putArray("columns");
        columns.forEach(cols::add);
        Path tmp = meta.resolveSibling(meta.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(m));
        Files.move(tmp, meta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void appendClean(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            sb.append(c == SEP || c == '\n' || c == '\r' ? ' ' : c);
        }
    }

    /**
     * Rows {@code [from, from + n)} of the selection; waits (at most {@code waitMillis}) until the pass has
     * written them or has finished.
     */
    public Page page(long from, int n, long waitMillis) throws IOException {
        long deadline = System.currentTimeMillis() + waitMillis;
        synchronized (lock) {
            while (!done && count < from + n) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) break;
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        long have = count;
        List<Row> out = new ArrayList<>();
        long end = Math.min(have, from + n);
        if (from < end) {
            int k = (int) (end - from);
            ByteBuffer buf = ByteBuffer.allocate(k * ENTRY + ENTRY).order(ByteOrder.LITTLE_ENDIAN);
            boolean hasNext = end < have;
            buf.limit((k + (hasNext ? 1 : 0)) * ENTRY);
            readFully(binCh, buf, from * ENTRY);
            buf.flip();
            long[] ord = new long[k], num = new long[k], ts = new long[k], off = new long[k + 1];
            for (int i = 0; i < k; i++) {
                ord[i] = buf.getLong();
                num[i] = buf.getLong();
                ts[i] = buf.getLong();
                off[i] = buf.getLong();
            }
            if (hasNext) {
                buf.getLong();
                buf.getLong();
                buf.getLong();
                off[k] = buf.getLong();
            } else {
                off[k] = done ? rowsCh.size() : rowsEnd(have);
            }
            ByteBuffer rb = ByteBuffer.allocate((int) (off[k] - off[0]));
            readFully(rowsCh, rb, off[0]);
            byte[] bytes = rb.array();
            for (int i = 0; i < k; i++) {
                String row = new String(bytes, (int) (off[i] - off[0]), (int) (off[i + 1] - off[i]), StandardCharsets.UTF_8);
                out.add(new Row(ord[i], num[i], ts[i], List.of(row.split(String.valueOf(SEP), -1))));
            }
        }
        return new Page(out, have, done, buildMillis, error);
    }

    /** End of the rows of the first {@code have} entries while the pass still writes: the rows file's size at publication. */
    private long rowsEnd(long have) throws IOException {
        // entries are published after their rows, so the rows file holds at least their rows; rows
        // written since belong to later entries, whose offset tells where ours end
        ByteBuffer b = ByteBuffer.allocate(ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        if (binCh.size() >= (have + 1) * ENTRY) {
            readFully(binCh, b, have * ENTRY);
            b.flip();
            b.position(24);
            return b.getLong();
        }
        return rowsCh.size();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException("index file ends early");
            pos += n;
        }
    }

    public boolean complete() {
        return done;
    }

    public long[] histogram() {
        return histogram;
    }

    public long firstTs() {
        return firstTs;
    }

    public long lastTs() {
        return lastTs;
    }

    public String error() {
        return error;
    }

    @Override
    public void close() {
        closed = true;
        try {
            binCh.close();
            rowsCh.close();
        } catch (IOException ignored) {
            // state files only: nothing to lose
        }
    }

    /** A growable byte buffer whose array can be written without a copy. */
    private static final class ByteArrayOut extends java.io.ByteArrayOutputStream {
        byte[] buffer() {
            return buf;
        }

        void writeUtf8(CharSequence s) {
            byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
            write(b, 0, b.length);
        }
    }
}
