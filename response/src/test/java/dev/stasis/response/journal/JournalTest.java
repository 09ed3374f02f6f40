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
}
