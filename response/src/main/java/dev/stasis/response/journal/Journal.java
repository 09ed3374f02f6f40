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
 * <p>Appends are group-committed: a single writer thread takes every record
 * queued since its last fsync, writes them and fsyncs once, then completes
 * their futures. Under a storm thousands of alerts share one fsync; alone, an
 * alert waits for just its own.
 *
 * <p>On open, the file is read back: alerts without a {@code done} are
 * pending (the engine resumes them); acted-on alerts are returned too so the
 * cool-down survives a restart. The file is then compacted to just those.
 */
public final class Journal implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 8192;

    private final Path file;
    private final FileChannel channel;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(65536);
    private final Thread writer;
    private final List<PendingAlert> pending;
    private final Map<String, Long> actedAt;
    private volatile boolean closed;
    /** Written by the writer thread only; read for reports. */
    private volatile long forces;
    private volatile long written;

    private record Entry(byte[] line, CompletableFuture<Void> done) {}

    private Journal(Path file, List<PendingAlert> pending, Map<String, Long> actedAt) throws IOException {
        this.file = file;
        this.pending = pending;
        this.actedAt = actedAt;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.writer = Thread.ofPlatform().name("stasis-journal").daemon().start(this::writeLoop);
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
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
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
        return new Stats(written, forces);
    }

    /** @param records records written and forced; @param fsyncs forces issued for them */
    public record Stats(long records, long fsyncs) {}

    /** Queues a record; the future completes once it is on disk (fsynced). */
    public CompletableFuture<Void> append(JsonNode record) {
        if (closed) return CompletableFuture.failedFuture(new JournalException("the journal is closed", null));
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            if (!queue.offer(new Entry(line(record), f), 5, java.util.concurrent.TimeUnit.SECONDS))
                return CompletableFuture.failedFuture(new JournalException("the journal is overloaded", null));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new JournalException("cannot encode a journal record", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new JournalException("interrupted", e));
        }
        return f;
    }

    /** Appends and waits until it is durable. */
    public void appendSync(JsonNode record) {
        try {
            append(record).join();
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
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                int total = 0;
                for (Entry e : batch) total += e.line.length;
                if (buf.capacity() < total) buf = ByteBuffer.allocateDirect(Math.max(total, buf.capacity() * 2));
                buf.clear();
                for (Entry e : batch) buf.put(e.line);
                buf.flip();
                try {
                    while (buf.hasRemaining()) channel.write(buf);
                    // fdatasync: the file's length is data, its timestamps are not worth a second flush
                    channel.force(false);
                    forces++;
                    written += batch.size();
                    // only now, with the whole batch on disk, does any of its callers get its answer
                    for (Entry e : batch) e.done.complete(null);
                } catch (IOException e) {
                    JournalException j = new JournalException("cannot write the journal " + file + ": " + e.getMessage(), e);
                    for (Entry x : batch) x.done.completeExceptionally(j);
                }
                batch.clear();
            } catch (InterruptedException e) {
                if (closed) break;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5_000);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // nothing more to write
        }
    }
}
