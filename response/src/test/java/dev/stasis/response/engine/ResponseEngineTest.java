package dev.stasis.response.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.stasis.response.Fixtures;
import dev.stasis.response.action.ActionException;
import dev.stasis.response.action.Actions;
import dev.stasis.response.action.Notifier;
import dev.stasis.response.alert.AlertParser;
import dev.stasis.response.alert.Target;
import dev.stasis.response.backend.Checkpoint;
import dev.stasis.response.backend.CheckpointBackend;
import dev.stasis.response.backend.CheckpointOptions;
import dev.stasis.response.journal.Journal;
import dev.stasis.response.journal.JournalException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseEngineTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A backend that fails {@code failures} times (retryable or not) before it succeeds. */
    static CheckpointBackend flaky(int failures, boolean retryable, AtomicInteger calls) {
        return new CheckpointBackend() {
            public String name() {
                return "podman";
            }

            public Checkpoint checkpoint(Target t, CheckpointOptions o) {
                if (calls.incrementAndGet() <= failures) throw new ActionException("kubelet answered 500 (attempt " + calls.get() + ")", retryable);
                return new Checkpoint("podman", "", "/x/checkpoint.tar", Instant.now());
            }
        };
    }

    ResponseEngine engine(Path policy, CheckpointBackend backend, Journal journal) {
        Actions actions = new Actions(Map.of("podman", backend), "podman", Map.of(), null, new Notifier(HttpClient.newHttpClient()), "test");
        return new ResponseEngine(new PolicySource(policy, JsonLog.SILENT), journal, actions, new Metrics(), JsonLog.SILENT,
                new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40)), null);
    }

    @Test
    void retriesWithBackoffThenNotifiesASlackCompatibleWebhook() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> keys = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/services/T0/B0/x", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes()));
            keys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
            ex.sendResponseHeaders(200, 2);
            ex.getResponseBody().write("ok".getBytes());
            ex.close();
        });
        hook.start();
        try {
            Path policy = Files.writeString(dir.resolve("p.yaml"), """
                    rules:
                      - name: freeze
                        match: {rule: "Outbound*"}
                        actions:
                          - checkpoint
                          - notify: {url: "http://127.0.0.1:%d/services/T0/B0/x", text: "froze ${target} (${rule}): ${checkpoint}"}
                    """.formatted(hook.getAddress().getPort()));
            AtomicInteger calls = new AtomicInteger();
            Journal journal = Journal.open(dir.resolve("state"), 0);
            try (ResponseEngine e = engine(policy, flaky(2, true, calls), journal)) {
                Receipt r = e.accept(AlertParser.parse(Fixtures.bytes("alerts/falco-c2.json")), System.nanoTime());
                waitFor(() -> done(journal.file(), r.id()) != null);
                assertThat(done(journal.file(), r.id()).path("outcome").asText()).isEqualTo("ok");
                assertThat(calls.get()).isEqualTo(3);
                assertThat(e.metrics().count("stasis_actions", "type", "checkpoint", "result", "retried")).isEqualTo(2);
                assertThat(bodies).hasSize(1);
                assertThat(JSON.readTree(bodies.getFirst()).path("text").asText())
                        .isEqualTo("froze notebooks/jupyter-0/bot on node-1 (Outbound Connection to C2 Servers): /x/checkpoint.tar");
                assertThat(keys).containsExactly(r.id());
            }
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void aPermanentFailureIsNotRetriedAndCollectIsSkipped() throws Exception {
        Path policy = Files.writeString(dir.resolve("p.yaml"), "rules:\n  - name: f\n    match: {}\n    actions: [checkpoint, collect]\n");
        AtomicInteger calls = new AtomicInteger();
        Journal journal = Journal.open(dir.resolve("state"), 0);
        try (ResponseEngine e = engine(policy, flaky(99, false, calls), journal)) {
            Receipt r = e.accept(AlertParser.parse(Fixtures.bytes("alerts/falco-c2.json")), System.nanoTime());
            waitFor(() -> done(journal.file(), r.id()) != null);
            assertThat(calls.get()).isEqualTo(1);
            List<String> steps = new ArrayList<>();
            for (String l : Files.readAllLines(journal.file())) {
                JsonNode n = JSON.readTree(l);
                if (n.path("t").asText().equals("step")) steps.add(n.path("type").asText() + ":" + n.path("outcome").asText() + ":" + n.path("detail").asText());
            }
            assertThat(steps).containsExactly("checkpoint:failed:kubelet answered 500 (attempt 1)", "collect:skipped:no checkpoint to collect");
            assertThat(done(journal.file(), r.id()).path("outcome").asText()).isEqualTo("partial");
        }
    }

    @Test
    void anAlertRefusedForTheJournalKeepsTheCheckpointItStartedAndItsCoolDown() throws Exception {
        Path policy = Files.writeString(dir.resolve("p.yaml"), "cooldown: 10m\nrules:\n  - name: f\n    match: {}\n    actions: [checkpoint]\n");
        AtomicInteger calls = new AtomicInteger();
        Journal journal = Journal.open(dir.resolve("state"), 0);
        try (ResponseEngine e = engine(policy, flaky(0, false, calls), journal)) {
            Receipt ok = e.accept(AlertParser.parse(Fixtures.bytes("alerts/sidekick-c2.json")), System.nanoTime());
            java.util.UUID id = java.util.UUID.fromString(ok.id());
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            waitFor(() -> calls.get() == 1);
            journal.close();
            // another container's alert: the checkpoint starts alongside the journal write, which fails (503)
            String other = Fixtures.text("alerts/sidekick-c2.json").replace("jupyter-0", "jupyter-1");
            assertThatThrownBy(() -> e.accept(AlertParser.parse(other), System.nanoTime())).isInstanceOf(JournalException.class);
            waitFor(() -> calls.get() == 2);
            // the sender's retry finds the container in its cool-down: no second checkpoint
            assertThatThrownBy(() -> e.accept(AlertParser.parse(other), System.nanoTime())).isInstanceOf(JournalException.class);
            assertThat(e.metrics().count("stasis_alerts_deduplicated")).isEqualTo(1);
            Thread.sleep(100);
            assertThat(calls.get()).isEqualTo(2);
        }
    }

    static JsonNode done(Path journal, String id) throws Exception {
        for (String l : Files.readAllLines(journal)) {
            JsonNode n = JSON.readTree(l);
            if (n.path("t").asText().equals("done") && n.path("id").asText().equals(id)) return n;
        }
        return null;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check c) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not reached within 30 s");
            Thread.sleep(20);
        }
    }
}
