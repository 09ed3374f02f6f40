package dev.stasis.response.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A journal as a long-running engine under an alert storm leaves it, written
 * the way the engine writes it (one JSON record a line, the raw Falcosidekick
 * alert embedded, padding blocks where it stopped): mostly alerts that did
 * not act, some acted on and finished, and a known set still pending, with
 * steps and checkpoint attempts, spread through the file.
 *
 * <p>{@code main(dir, megabytes)} writes one by hand (the 2 GiB probe);
 * {@code main("open", dir)} opens one and prints "PENDING n ms" and the ids,
 * for a child JVM with a small heap.
 */
public final class LargeJournal {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LargeJournal() {}

    /** Writes about {@code bytes} of records into dir/journal.jsonl; returns the ids that must come back pending. */
    public static List<String> write(Path dir, long bytes) throws IOException {
        Files.createDirectories(dir);
        byte[] raw;
        try (InputStream in = LargeJournal.class.getResourceAsStream("/alerts/sidekick-c2.json")) {
            raw = JSON.writeValueAsBytes(JSON.readTree(in)); // one line, as the parser hands it over
        }
        String alert = new String(raw, StandardCharsets.UTF_8);
        SplittableRandom rnd = new SplittableRandom(7);
        List<String> pending = new ArrayList<>();
        long written = 0;
        long n = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("journal.jsonl")), 1 << 20)) {
            while (written < bytes) {
                String id = "a-" + n++;
                String key = "node-1/ns/pod-" + rnd.nextInt(5000) + "/app";
                String body = alert.replace("jupyter-0", "pod-" + n);
                int kind = rnd.nextInt(1000);
                boolean act = kind < 100;
                StringBuilder b = new StringBuilder(1200);
                b.append("{\"t\":\"alert\",\"id\":\"").append(id).append("\",\"at\":").append(1_700_000_000_000L + n).append(",\"key\":\"").append(key)
                        .append("\",\"rule\":").append(act ? "\"freeze\"" : "null").append(",\"act\":").append(act)
                        .append(",\"outcome\":\"").append(act ? "acted" : "no-match").append("\",\"alert\":").append(body).append("}\n");
                if (act) {
                    b.append("{\"t\":\"attempt\",\"id\":\"").append(id).append("\",\"i\":0,\"try\":1,\"at\":1}\n");
                    b.append("{\"t\":\"step\",\"id\":\"").append(id).append("\",\"i\":0,\"type\":\"checkpoint\",\"outcome\":\"ok\",\"result\":{\"backend\":\"podman\",\"node\":\"\",\"path\":\"/x/")
                            .append(id).append(".tar.zst\",\"takenAt\":\"2026-12-04T06:00:00Z\"}}\n");
                    // one acted-on alert in 2,000 never finished: the engine died during its collect
                    if (kind == 0 && pending.size() < 500) pending.add(id);
                    else b.append("{\"t\":\"done\",\"id\":\"").append(id).append("\",\"outcome\":\"ok\"}\n");
                }
                if (rnd.nextInt(20000) == 0) b.append(" ".repeat(4095)).append('\n'); // a crash's padding, later written over
                byte[] line = b.toString().getBytes(StandardCharsets.UTF_8);
                out.write(line);
                written += line.length;
            }
            // the end a kill -9 leaves: a torn last record
            out.write("{\"t\":\"alert\",\"id\":\"torn\",\"at\":1,\"key\":\"k\",\"rule\":\"freeze\",\"act\":true,\"outc".getBytes(StandardCharsets.UTF_8));
        }
        return pending;
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("open")) {
            long t0 = System.nanoTime();
            try (Journal j = Journal.open(Path.of(args[1]), 0)) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("PENDING " + j.pending().size() + " " + ms + " " + j.actedAt().size());
                for (PendingAlert p : j.pending()) System.out.println(p.id() + " " + p.steps().keySet() + " " + p.attempts().keySet());
            }
            return;
        }
        List<String> pending = write(Path.of(args[0]), Long.parseLong(args[1]) << 20);
        System.out.println("wrote " + Files.size(Path.of(args[0]).resolve("journal.jsonl")) + " bytes, " + pending.size() + " pending");
    }
}
