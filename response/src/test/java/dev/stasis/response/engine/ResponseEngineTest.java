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

    /**
     * An alert storm for many containers: checkpoints wait for one of
     * {@code maxConcurrent} slots (before, 200 alerts ran 124 podman processes at once).
     */
    @Test
    void checkpointsRunAtMostMaxConcurrentAtOnce() throws Exception {
        Path policy = Files.writeString(dir.resolve("p.yaml"), "rules:\n  - name: f\n    match: {}\n    actions: [checkpoint]\n");
        AtomicInteger running = new AtomicInteger(), most = new AtomicInteger(), calls = new AtomicInteger();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CheckpointBackend slow = new CheckpointBackend() {
            public String name() {
                return "podman";
            }

            public Checkpoint checkpoint(Target t, CheckpointOptions o) {
                calls.incrementAndGet();
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
                return new Checkpoint("podman", "", "/x/" + t.pod() + ".tar", Instant.now());
            }
        };
        Actions actions = new Actions(Map.of("podman", slow), "podman", Map.of(), null, new Notifier(HttpClient.newHttpClient()), "test", 2);
        Journal journal = Journal.open(dir.resolve("state"), 0);
        try (ResponseEngine e = new ResponseEngine(new PolicySource(policy, JsonLog.SILENT), journal, actions, new Metrics(), JsonLog.SILENT,
                new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10)), null)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++)
                ids.add(e.accept(AlertParser.parse(Fixtures.text("alerts/sidekick-c2.json").replace("jupyter-0", "jupyter-" + i)), System.nanoTime()).id());
            waitFor(() -> calls.get() == 2);
            Thread.sleep(300); // room for a third to start, were it allowed to
            assertThat(calls.get()).as("checkpoints started while two run").isEqualTo(2);
            release.countDown();
            waitFor(() -> ids.stream().allMatch(id -> {
                try {
                    return done(journal.file(), id) != null;
                } catch (Exception ex) {
                    return false;
                }
            }));
            assertThat(calls.get()).isEqualTo(12);
            assertThat(most.get()).isEqualTo(2);
        }
    }

    static final String RESUMED_ID = "11111111-2222-4333-8444-555555555555";

    /** A journal as a kill -9 during the checkpoint of RESUMED_ID leaves it: the alert, and the attempt that had started. */
    Path interruptedJournal() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        String raw = new String(JSON.writeValueAsBytes(JSON.readTree(Fixtures.bytes("alerts/sidekick-c2.json"))));
        Files.writeString(state.resolve("journal.jsonl"), "{\"t\":\"alert\",\"id\":\"" + RESUMED_ID + "\",\"at\":" + System.currentTimeMillis()
                + ",\"key\":\"k\",\"rule\":\"f\",\"act\":true,\"outcome\":\"acted\",\"alert\":" + raw + "}\n"
                + "{\"t\":\"attempt\",\"id\":\"" + RESUMED_ID + "\",\"i\":0,\"try\":1,\"at\":1}\n");
        return state;
    }

    /** A podman that logs its calls and exports a real archive (a copy of benign-web). */
    Path fakePodman(Path calls) throws Exception {
        Path real = Path.of(System.getProperty("stasis.root", "../")).resolve("testdata/checkpoints/benign-web.tar.zst").toAbsolutePath();
        Path podman = dir.resolve("podman");
        Files.writeString(podman, """
                #!/bin/sh
                echo "$@" >> %s
                for a in "$@"; do case "$a" in --export=*) cp %s "${a#--export=}";; esac; done
                """.formatted(calls, real));
        Files.setPosixFilePermissions(podman, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return podman;
    }

    JsonNode resume(Path podman, Path exports) throws Exception {
        Path policy = Files.writeString(dir.resolve("p.yaml"), "rules:\n  - name: f\n    match: {}\n    actions: [checkpoint]\n");
        Journal journal = Journal.open(dir.resolve("state"), 0);
        Actions actions = new Actions(Map.of("podman", new dev.stasis.response.backend.PodmanBackend(podman.toString(), exports)), "podman", Map.of(), null,
                new Notifier(HttpClient.newHttpClient()), "test");
        try (ResponseEngine e = new ResponseEngine(new PolicySource(policy, JsonLog.SILENT), journal, actions, new Metrics(), JsonLog.SILENT,
                new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10)), null)) {
            assertThat(e.resume()).isEqualTo(1);
            waitFor(() -> done(journal.file(), RESUMED_ID) != null);
        }
        for (String l : Files.readAllLines(dir.resolve("state/journal.jsonl"))) {
            JsonNode n = JSON.readTree(l);
            if (n.path("t").asText().equals("step") && n.path("id").asText().equals(RESUMED_ID)) return n;
        }
        throw new AssertionError("no step record");
    }

    /** The interrupted attempt's podman finished its archive: the resumed action adopts it, and takes no second checkpoint. */
    @Test
    void aResumedCheckpointAdoptsTheArchiveItsInterruptedAttemptFinished() throws Exception {
        interruptedJournal();
        Path exports = Files.createDirectories(dir.resolve("exports"));
        Path archive = exports.resolve("checkpoint-3ad4f9c1b2e7-" + RESUMED_ID + "-0.tar.zst");
        Files.copy(Path.of(System.getProperty("stasis.root", "../")).resolve("testdata/checkpoints/benign-web.tar.zst"), archive);
        Path calls = dir.resolve("calls.log");
        JsonNode step = resume(fakePodman(calls), exports);
        assertThat(calls).doesNotExist();
        assertThat(step.path("outcome").asText()).isEqualTo("ok");
        assertThat(step.path("result").path("path").asText()).isEqualTo(archive.toString());
        assertThat(step.path("result").path("recovery").asText()).startsWith("adopted " + archive);
        assertThat(Files.list(exports).toList()).containsExactly(archive);
    }

    /** The interrupted attempt left half an archive: it is removed and the checkpoint taken again, into the same name. */
    @Test
    void aResumedCheckpointRemovesAnUnfinishedArchiveAndCheckpointsOnce() throws Exception {
        interruptedJournal();
        Path exports = Files.createDirectories(dir.resolve("exports"));
        Path archive = exports.resolve("checkpoint-3ad4f9c1b2e7-" + RESUMED_ID + "-0.tar.zst");
        byte[] whole = Files.readAllBytes(Path.of(System.getProperty("stasis.root", "../")).resolve("testdata/checkpoints/benign-web.tar.zst"));
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 3));
        Path calls = dir.resolve("calls.log");
        JsonNode step = resume(fakePodman(calls), exports);
        assertThat(Files.readAllLines(calls)).hasSize(1);
        assertThat(step.path("result").path("recovery").asText()).startsWith("removed " + archive + " (" + whole.length / 3 + " bytes)");
        assertThat(Files.list(exports).toList()).containsExactly(archive);
        assertThat(Files.readAllBytes(archive)).isEqualTo(whole);
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
