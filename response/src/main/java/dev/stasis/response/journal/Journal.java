package dev.stasis.response.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's write-ahead journal: one JSON record per line, fsynced before
 * an alert is acknowledged. Records: {@code alert} (accepted, with the policy
 * decision), {@code step} (an action's outcome and result), {@code done}.
 *
 * <p>Appends are group-committed: a writer thread takes every record queued
 * since it last looked, writes them and fsyncs once, then completes their
 * futures. Under a storm thousands of alerts share one fsync; alone, an
 * alert waits for just its own. Two writers take turns: while one waits for
 * its fsync the other writes the next batch and starts its own, so a record
 * waits for about one fsync rather than the rest of the running one and then
 * its own (measured here: two concurrent fdatasyncs on the file complete
 * at 2 to 5 times the rate of one after the other). Writing stays in queue
 * order under a lock; a future completes only after an fsync that began
 * after its record was written.
 *
 * <p>On open, the file is read back: alerts without a {@code done} are
 * pending (the engine resumes them); acted-on alerts are returned too so the
 * cool-down survives a restart. The file is then compacted to just those.
 *
 * <p>The file is grown ahead of the records in {@value #GROW}-byte steps of
 * padding (spaces, then a line break: a blank line to any JSON-lines reader),
 * which the records then overwrite. An fdatasync of an append must also
 * commit the file's new length through the filesystem's journal; over
 * blocks that already exist it flushes just the data. Measured on this
 * project's machine under load: p50 2.7 ms instead of 4.3 ms, p99 12 ms
 * instead of 33 ms. A clean close cuts the padding off again.
 */
public final class Journal implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 8192;
    static final int GROW = 4 << 20;

    private final Path file;
    private final FileChannel channel;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(65536);
    private final List<Thread> writers;
    /** Held while taking records off the queue and writing them, so the file keeps the queue's order. */
    private final java.util.concurrent.locks.ReentrantLock writing = new java.util.concurrent.locks.ReentrantLock();
    private final List<PendingAlert> pending;
    private final Map<String, Long> actedAt;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong forces = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
    /** Where the next record goes, and the end of the file (records, then padding); under {@link #writing}. */
    private long end;
    private long allocated;
    private ByteBuffer padding;
    /**
     * Set by a failed fsync. Linux reports a writeback error to one fsync and
     * may then drop the pages, so a later fsync can succeed over lost data:
     * after one failure the journal takes no more records (the engine answers
     * 503 until it is restarted and reads back what is really on disk).
     */
    private volatile IOException broken;

    private record Entry(byte[] line, CompletableFuture<Void> done) {}

    private Journal(Path file, List<PendingAlert> pending, Map<String, Long> actedAt) throws IOException {
        this.file = file;
        this.pending = pending;
        this.actedAt = actedAt;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        // freshly compacted: the file holds just records
        this.end = channel.size();
        this.allocated = end;
        this.writers = List.of(Thread.ofPlatform().name("stasis-journal-1").daemon().start(this::writeLoop),
                Thread.ofPlatform().name("stasis-journal-2").daemon().start(this::writeLoop));
    }

    /**
     * Opens the journal in {@code dir} (created when missing).
     *
     * @param keepActedAfter acted-on alerts received at or after this time (epoch ms) are kept for the cool-down
     */
    public static Journal open(Path dir, long keepActedAfter) {
        Path file = dir.resolve("journal.jsonl");
        try {
            Files.createDirectories(dir);
            Map<String, ObjectNode> alerts = new LinkedHashMap<>();
            Map<String, Map<Integer, JsonNode>> steps = new HashMap<>();
            Map<String, ObjectNode> doneRecs = new HashMap<>();
            if (Files.exists(file)) {
                // decoded leniently: a record torn by a crash may end inside a UTF-8 sequence, and
                // it must cost only its own (never acknowledged) line, not the engine's start
                for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
                    if (line.isBlank()) continue;
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (IOException e) {
                        continue; // a torn last line from a crash mid-write: it was never acknowledged
                    }
                    if (!(n instanceof ObjectNode o)) continue;
                    String id = o.path("id").asText();
                    switch (o.path("t").asText()) {
                        case "alert" -> alerts.put(id, o);
                        case "step" -> steps.computeIfAbsent(id, k -> new HashMap<>()).put(o.path("i").asInt(), o);
                        case "done" -> doneRecs.put(id, o);
                        default -> { }
                    }
                }
            }
            List<PendingAlert> pending = new ArrayList<>();
            Map<String, Long> acted = new HashMap<>();
            ByteArrayOutputStream keep = new ByteArrayOutputStream();
            for (ObjectNode a : alerts.values()) {
                String id = a.path("id").asText();
                boolean act = a.path("act").asBoolean();
                long at = a.path("at").asLong();
                String key = a.path("key").asText();
                if (act) acted.merge(key, at, Math::max);
                boolean isPending = act && !doneRecs.containsKey(id);
                if (isPending) {
                    Map<Integer, JsonNode> s = steps.getOrDefault(id, Map.of());
                    pending.add(new PendingAlert(id, at, key, a.path("rule").asText(), a.path("alert"), Map.copyOf(s)));
                    keep.write(line(a));
                    for (JsonNode st : s.values()) keep.write(line(st));
                } else if (act && at >= keepActedAfter) {
                    keep.write(line(a));
                    keep.write(line(doneRecs.get(id)));
                }
            }
            // compact: write the survivors to a new file, fsync, then rename over the old one
            Path tmp = dir.resolve("journal.jsonl.compact");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(keep.toByteArray());
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Journal(file, List.copyOf(pending), Map.copyOf(acted));
        } catch (IOException e) {
            throw new JournalException("cannot open the journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] line(JsonNode n) throws IOException {
        byte[] b = JSON.writeValueAsBytes(n);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        out[b.length] = '\n';
        return out;
    }

    public Path file() {
        return file;
    }

    /** Alerts whose actions had not finished when the journal was last closed (or the engine died). */
    public List<PendingAlert> pending() {
        return pending;
    }

    /** Latest acted-on alert time per cool-down key, as found on open. */
    public Map<String, Long> actedAt() {
        return actedAt;
    }

    /** Records made durable since open, and how many fsyncs that took (group commit shares one among many records). */
    public Stats stats() {
        return new Stats(written.get(), forces.get());
    }

    /** @param records records written and forced; @param fsyncs forces issued for them */
    public record Stats(long records, long fsyncs) {}

    /** Queues a record; the future completes once it is on disk (fsynced). */
    public CompletableFuture<Void> append(JsonNode record) {
        try {
            return enqueue(line(record));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new JournalException("cannot encode a journal record", e));
        }
    }

    /**
     * Queues a record the caller already encoded as one JSON object (the
     * engine writes its hot records straight into text, as a tree costs more
     * than the rest of accepting an alert); the future completes once it is
     * on disk (fsynced).
     *
     * @throws IllegalArgumentException when the text holds a line break, which would split the record
     */
    public CompletableFuture<Void> append(String jsonObject) {
        if (jsonObject.indexOf('\n') >= 0 || jsonObject.indexOf('\r') >= 0) throw new IllegalArgumentException("a journal record must be one line");
        byte[] text = jsonObject.getBytes(StandardCharsets.UTF_8);
        byte[] b = java.util.Arrays.copyOf(text, text.length + 1);
        b[text.length] = '\n';
        return enqueue(b);
    }

    private CompletableFuture<Void> enqueue(byte[] line) {
        if (closed) return CompletableFuture.failedFuture(new JournalException("the journal is closed", null));
        if (broken != null) return CompletableFuture.failedFuture(new JournalException("the journal " + file + " failed an fsync ("
                + broken.getMessage() + "); restart the engine to read back what is on disk", broken));
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            if (!queue.offer(new Entry(line, f), 5, java.util.concurrent.TimeUnit.SECONDS))
                return CompletableFuture.failedFuture(new JournalException("the journal is overloaded", null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new JournalException("interrupted", e));
        }
        return f;
    }

    /** Appends and waits until it is durable. */
    public void appendSync(JsonNode record) {
        await(append(record));
    }

    /** Waits for a queued record to be durable; the journal's failure as a {@link JournalException}. */
    public static void await(CompletableFuture<Void> durable) {
        try {
            durable.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof JournalException j ? j : new JournalException("journal write failed: " + e.getCause(), e.getCause());
        }
    }

    private void writeLoop() {
        List<Entry> batch = new ArrayList<>(BATCH);
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        while (!closed || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) continue;
                boolean wrote;
                writing.lock();
                try {
                    // what queued while this thread waited for the lock goes in the same batch
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    int total = 0;
                    for (Entry e : batch) total += e.line.length;
                    if (buf.capacity() < total) buf = ByteBuffer.allocateDirect(Math.max(total, buf.capacity() * 2));
                    buf.clear();
                    for (Entry e : batch) buf.put(e.line);
                    buf.flip();
                    wrote = write(buf, batch);
                } finally {
                    writing.unlock();
                }
                if (wrote) {
                    try {
                        // fdatasync: the data (and, when the padding grew, the length); timestamps are not worth a flush
                        channel.force(false);
                        if (broken != null) throw broken;
                        forces.incrementAndGet();
                        written.addAndGet(batch.size());
                        // only now, with the whole batch on disk, does any of its callers get its answer
                        for (Entry e : batch) e.done.complete(null);
                    } catch (IOException e) {
                        if (broken == null) broken = e;
                        fail(batch, e);
                    }
                }
                batch.clear();
            } catch (InterruptedException e) {
                if (closed) break;
            }
        }
    }

    /** Writes a batch at the end of the records (growing the padding first when needed); false (the batch failed) on an error. */
    private boolean write(ByteBuffer buf, List<Entry> batch) {
        try {
            if (padding == null) padding = padding();
            while (allocated < end + buf.remaining()) {
                padding.clear();
                while (padding.hasRemaining()) allocated += channel.write(padding, allocated);
            }
            long at = end;
            while (buf.hasRemaining()) at += channel.write(buf, at);
            end = at;
            return true;
        } catch (IOException e) {
            // the next batch is written at the same place, over whatever part of this one got out
            fail(batch, e);
            return false;
        }
    }

    private void fail(List<Entry> batch, IOException e) {
        JournalException j = new JournalException("cannot write the journal " + file + ": " + e.getMessage(), e);
        for (Entry x : batch) x.done.completeExceptionally(j);
    }

    /** {@value #GROW} bytes of spaces ending in a line break: whitespace between JSON texts, a blank line to readers. */
    private static ByteBuffer padding() {
        ByteBuffer b = ByteBuffer.allocateDirect(GROW);
        while (b.position() < GROW - 1) b.put((byte) ' ');
        return b.put((byte) '\n');
    }

    @Override
    public void close() {
        closed = true;
        try {
            for (Thread w : writers) w.join(5_000);
            if (writers.stream().noneMatch(Thread::isAlive)) {
                // a cleanly closed journal is plain JSON lines again
                channel.truncate(end);
                channel.force(true);
            }
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // nothing more to write
        }
    }
}
