package dev.stasis.response.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: many concurrent appends, each acknowledged only once its own line is in the file. */
class JournalTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static ObjectNode alert(String id, String key) {
        return JSON.createObjectNode().put("t", "alert").put("id", id).put("at", 1_000L).put("key", key).put("rule", "freeze")
                .put("act", true).put("outcome", "acted");
    }

    @Test
    void concurrentAppendsAreEachInTheFileWhenTheirFutureCompletes() throws Exception {
        int threads = 32, each = 40;
        Set<String> missingAtAck = ConcurrentHashMap.newKeySet();
        Journal j = Journal.open(dir, 0);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tt = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String id = "a-" + tt + "-" + i;
                        j.appendSync(alert(id, "node/ns/pod-" + tt + "/app"));
                        // acknowledged: the line must already be in the file (written before the fsync that completed it)
                        if (!Files.readString(j.file()).contains("\"id\":\"" + id + "\"")) missingAtAck.add(id);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        }
        Journal.Stats stats = j.stats();
        j.close();
        assertThat(missingAtAck).isEmpty();
        assertThat(stats.records()).isEqualTo(threads * each);
        assertThat(stats.fsyncs()).isBetween(1L, (long) threads * each);

        // every line is whole JSON, and reopening finds every alert pending (none has a done record)
        List<String> lines = Files.readAllLines(j.file());
        assertThat(lines).hasSize(threads * each);
        for (String l : lines) assertThat(JSON.readTree(l).path("t").asText()).isEqualTo("alert");
        try (Journal again = Journal.open(dir, 0)) {
            Set<String> ids = again.pending().stream().map(PendingAlert::id).collect(Collectors.toSet());
            assertThat(ids).hasSize(threads * each).contains("a-0-0", "a-31-39");
        }
    }

    @Test
    void anAlertEmbeddedAsRawJsonReadsBackAsTheSameTree() throws Exception {
        String raw = "{\"rule\":\"Outbound Connection to C2 Servers\",\"priority\":\"Critical\",\"output\":\"a \\\"quoted\\\" line\\nand more\","
                + "\"output_fields\":{\"k8s.pod.name\":\"jupyter-0\",\"fd.sport\":4444}}";
        try (Journal j = Journal.open(dir, 0)) {
            ObjectNode rec = alert("x", "node/ns/jupyter-0/app");
            rec.putRawValue("alert", new RawValue(raw));
            j.appendSync(rec);
            j.appendSync(JSON.createObjectNode().put("t", "step").put("id", "x").put("i", 0).put("type", "checkpoint").put("outcome", "ok"));
        }
        try (Journal j = Journal.open(dir, 0)) {
            assertThat(j.pending()).hasSize(1);
            PendingAlert p = j.pending().getFirst();
            JsonNode expected = JSON.readTree(raw);
            assertThat(p.alert()).isEqualTo(expected);
            assertThat(p.steps()).containsOnlyKeys(0);
        }
    }

    @Test
    void appendsAfterCloseFailRatherThanVanish() {
        Journal j = Journal.open(dir, 0);
        j.close();
        assertThat(j.append(alert("late", "k"))).isCompletedExceptionally();
    }

    @Test
    void aJournalLeftAsACrashLeavesItIsReadBackWholeAndACleanCloseDropsThePadding() throws Exception {
        Journal j = Journal.open(dir.resolve("live"), 0);
        for (int i = 0; i < 100; i++) j.appendSync(alert("c-" + i, "node/ns/pod-" + i + "/app"));
        // what a kill -9 leaves: the records, then the padding they had not reached
        Path crashed = Files.createDirectories(dir.resolve("crashed"));
        Files.copy(j.file(), crashed.resolve("journal.jsonl"));
        assertThat(Files.size(crashed.resolve("journal.jsonl"))).isEqualTo(Journal.GROW);
        List<String> lines = Files.readAllLines(crashed.resolve("journal.jsonl"));
        assertThat(lines.stream().filter(l -> !l.isBlank())).hasSize(100)
                .allSatisfy(l -> assertThat(JSON.readTree(l).path("t").asText()).isEqualTo("alert"));
        try (Journal again = Journal.open(crashed, 0)) {
            assertThat(again.pending()).hasSize(100);
            assertThat(again.pending().getLast().id()).isEqualTo("c-99");
        }
        j.close();
        List<String> closed = Files.readAllLines(j.file());
        assertThat(closed).hasSize(100).noneMatch(String::isBlank);
        assertThat(Files.size(j.file())).isEqualTo(closed.stream().mapToLong(l -> l.length() + 1).sum());
    }

    @Test
    void aTextRecordWithALineBreakIsRefused() {
        try (Journal j = Journal.open(dir, 0)) {
            assertThatThrownBy(() -> j.append("{\"t\":\"alert\",\n\"id\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
            j.append("{\"t\":\"alert\",\"id\":\"x\",\"act\":true,\"key\":\"k\"}").join();
            assertThat(j.stats().records()).isEqualTo(1);
        }
    }

    /**
     * An engine that runs for a long time under alerts that mostly do not act:
     * before, every record stayed in the file until the next start (244 MB in
     * 50 s at the deployed rate limit). Now the file is compacted while the
     * engine runs, and keeps only what is pending and each container's
     * cool-down.
     */
    @Test
    void theJournalIsCompactedWhileTheEngineRuns() throws Exception {
        String raw = new String(JSON.writeValueAsBytes(JSON.readTree(dev.stasis.response.Fixtures.bytes("alerts/sidekick-c2.json"))));
        long written = 0;
        try (Journal j = Journal.open(dir, java.time.Duration.ofDays(1), 256 << 10)) {
            for (int i = 0; i < 20_000; i++) {
                String id = "n-" + i;
                boolean act = i % 50 == 0;
                String rec = "{\"t\":\"alert\",\"id\":\"" + id + "\",\"at\":" + System.currentTimeMillis() + ",\"key\":\"k-" + (i % 700)
                        + "\",\"rule\":" + (act ? "\"freeze\"" : "null") + ",\"act\":" + act + ",\"outcome\":\"x\",\"alert\":" + raw + "}";
                written += rec.length() + 1;
                var f = j.append(rec);
                if (act) {
                    j.append("{\"t\":\"attempt\",\"id\":\"" + id + "\",\"i\":0,\"try\":1,\"at\":1}");
                    f = j.append("{\"t\":\"step\",\"id\":\"" + id + "\",\"i\":0,\"type\":\"checkpoint\",\"outcome\":\"ok\"}");
                    // every fourth acted-on alert is still running; the others finished
                    if (i % 200 != 0) f = j.append("{\"t\":\"done\",\"id\":\"" + id + "\",\"outcome\":\"ok\"}");
                }
                if (i % 1000 == 999) Journal.await(f);
            }
            // compaction runs beside the writers: give the last one room to finish
            for (int i = 0; i < 300 && j.compactions() == 0; i++) Thread.sleep(100);
            assertThat(j.compactions()).as("compactions while running").isPositive();
        }
        long size = Files.size(dir.resolve("journal.jsonl"));
        assertThat(written).isGreaterThan(15L << 20);
        // what is left: the survivors plus what was written since the last compaction finished
        // (a writer this fast outruns a compaction by a few MB; the engine's rate limit is far slower)
        assertThat(size).as("bytes left of %d written", written).isLessThan(written / 4);
        try (Journal again = Journal.open(dir, 0)) {
            assertThat(again.pending()).extracting(PendingAlert::id).hasSize(100).allSatisfy(id -> assertThat(Integer.parseInt(id.substring(2)) % 200).isZero());
            assertThat(again.pending()).allSatisfy(p -> {
                assertThat(p.steps()).containsOnlyKeys(0);
                assertThat(p.attempts()).containsOnlyKeys(0);
                assertThat(p.alert().path("output_fields").path("k8s.ns.name").isMissingNode()).isFalse();
            });
            // the cool-down of containers whose alert finished survives
            assertThat(again.actedAt()).containsKey("k-50");
        }
    }

    /** The journal holds raw alerts: owner-only, also when an older version left it world-readable. */
    @Test
    void theJournalIsOwnerOnly() throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        Files.writeString(state.resolve("journal.jsonl"), alert("old", "k").toString() + "\n");
        Files.setPosixFilePermissions(state.resolve("journal.jsonl"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        try (Journal j = Journal.open(state, 0)) {
            j.appendSync(alert("new", "k"));
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(j.file()))).isEqualTo("rw-------");
        }
        try (Journal j = Journal.open(dir.resolve("fresh/state"), 0)) {
            j.appendSync(alert("x", "k"));
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(j.file()))).isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(j.file().getParent()))).isEqualTo("rwx------");
        }
    }

    /**
     * A journal larger than the heap (the deployed 256 MiB): before, open read
     * it whole and failed with OutOfMemoryError (above 2 GiB with "Required
     * array size too large"). It is streamed now: a child JVM with -Xmx256m
     * opens it and finds exactly the pending alerts the generator left.
     * Size: -Dstasis.test.journalMb (default 320).
     */
    @Test
    void aJournalLargerThanTheHeapOpensInA256MiBJvm() throws Exception {
        long mb = Long.getLong("stasis.test.journalMb", 320);
        Path state = dir.resolve("big");
        List<String> expected = LargeJournal.write(state, mb << 20);
        long size = Files.size(state.resolve("journal.jsonl"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), LargeJournal.class.getName(), "open",
                state.toString()).redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertThat(p.waitFor()).as("child: %s", out.stream().limit(5).toList()).isZero();
        String[] head = out.getFirst().split(" ");
        assertThat(head[0]).as(out.getFirst()).isEqualTo("PENDING");
        System.err.println("journal of " + (size >> 20) + " MiB opened with -Xmx256m in " + head[2] + " ms; " + head[1] + " pending");
        assertThat(out.subList(1, out.size())).extracting(l -> l.split(" ")[0]).containsExactlyElementsOf(expected);
        assertThat(out.subList(1, out.size())).allSatisfy(l -> assertThat(l).endsWith("[0] [0]"));
        assertThat(Files.size(state.resolve("journal.jsonl"))).as("compacted on open").isLessThan(size / 100);
    }
}
