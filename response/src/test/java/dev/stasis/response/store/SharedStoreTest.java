package dev.stasis.response.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.response.RecordingBackend;
import dev.stasis.response.action.Actions;
import dev.stasis.response.action.Notifier;
import dev.stasis.response.alert.AlertParser;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.engine.Metrics;
import dev.stasis.response.engine.PolicySource;
import dev.stasis.response.engine.Receipt;
import dev.stasis.response.engine.ResponseEngine;
import dev.stasis.response.engine.RetryPolicy;
import dev.stasis.response.journal.JournalException;
import dev.stasis.testsupport.GroundTruth;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas sharing a real PostgreSQL ({@code .ci/postgres-up}; URL from {@code STASIS_TEST_PG_URL}).
 * Each test works in a schema of its own. What is asserted comes from the checkpoint requests that
 * left the engines (a recording backend at the point a request leaves stasis) and from the tables
 * read with plain SQL, not from the store's own answers.
 */
class SharedStoreTest {
    static final String URL = System.getenv().getOrDefault("STASIS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/stasis_test");
    static final String USER = System.getenv().getOrDefault("STASIS_TEST_PG_USER", "stasis");
    static final String PASSWORD = System.getenv().getOrDefault("STASIS_TEST_PG_PASSWORD", "stasis");
    static final List<String> schemas = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        boolean up;
        try (Connection c = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "connectTimeout=3", USER, PASSWORD)) {
            up = c.isValid(3);
        } catch (Exception e) {
            up = false;
        }
        GroundTruth.require(up, "PostgreSQL at " + URL + " is not reachable: run .ci/postgres-up");
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement st = c.createStatement()) {
            for (String s : schemas) st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
        }
    }

    /** A fresh schema; the URL that makes it the connections' default. */
    static String freshSchema() throws Exception {
        String s = "serve_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + s);
        }
        schemas.add(s);
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + s;
    }

    private ResponseEngine engine(String url, String replica, Duration lease, RecordingBackend backend, String cooldown) throws Exception {
        Path policy = dir.resolve("policy-" + replica + ".yaml");
        Files.writeString(policy, "cooldown: " + cooldown + "\nrules:\n  - name: freeze\n    match: {rule: \"Outbound Connection*\"}\n"
                + "    actions: [{checkpoint: {backend: podman}}]\n");
        Actions actions = new Actions(Map.of("podman", backend), "podman", Map.of(), null, new Notifier(HttpClient.newHttpClient()), "test");
        SharedStore store = SharedStore.open(url, USER, PASSWORD, replica, lease);
        ResponseEngine e = new ResponseEngine(new PolicySource(policy, JsonLog.SILENT), store, actions, new Metrics(), JsonLog.SILENT,
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)), null);
        e.resume();
        return e;
    }

    static String alert(int container, int seq) {
        return "{\"hostname\":\"node-1\",\"priority\":\"Critical\",\"rule\":\"Outbound Connection to C2 Servers\",\"source\":\"syscall\","
                + "\"time\":\"2026-11-29T16:31:56.746609046Z\",\"output\":\"x\",\"output_fields\":{\"k8s.ns.name\":\"load\",\"k8s.pod.name\":\"pod-"
                + container + "\",\"container.name\":\"app\",\"stasis.seq\":\"" + seq + "\"}}";
    }

    private static Map<String, Long> query(String url, String sql) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }

    private static void awaitNoPending(String url) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (query(url, "SELECT 'n', count(*) FROM serve_alert WHERE state = 'pending'").get("n") == 0) return;
            Thread.sleep(50);
        }
    }

    @Test
    void twoReplicasCheckpointEachContainerOncePerCooldown() throws Exception {
        String url = freshSchema();
        RecordingBackend a = new RecordingBackend(), b = new RecordingBackend();
        int alerts = 2000, containers = 40;
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        try (ResponseEngine ea = engine(url, "a", Duration.ofSeconds(10), a, "1h");
             ResponseEngine eb = engine(url, "b", Duration.ofSeconds(10), b, "1h");
             var senders = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < alerts; i++) {
                int seq = i;
                // neighbouring alerts about one container go to different replicas
                ResponseEngine to = i % 2 == 0 ? ea : eb;
                senders.submit(() -> {
                    Receipt r = to.accept(AlertParser.parse(alert(seq % containers, seq)), System.nanoTime());
                    ids.add(r.id());
                    return null;
                });
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            awaitNoPending(url);
        }
        assertThat(ids).hasSize(alerts);
        // what left the two engines: one checkpoint per container, whichever replica took it
        Map<String, Integer> perContainer = new HashMap<>();
        for (RecordingBackend r : List.of(a, b)) for (var call : r.calls()) perContainer.merge(call.target().pod(), 1, Integer::sum);
        assertThat(perContainer).hasSize(containers);
        assertThat(perContainer.values()).containsOnly(1);
        assertThat(a.calls()).isNotEmpty();
        assertThat(b.calls()).isNotEmpty();
        // every acknowledged alert is in the table once, and done
        Map<String, Long> states = query(url, "SELECT state, count(*) FROM serve_alert GROUP BY state");
        assertThat(states).containsExactly(Map.entry("done", (long) alerts));
        assertThat(query(url, "SELECT 'acts', count(*) FROM serve_alert WHERE acts").get("acts")).isEqualTo(containers);
        assertThat(query(url, "SELECT 'steps', count(*) FROM serve_step WHERE outcome = 'ok'").get("steps")).isEqualTo(containers);
    }

    @Test
    void aDeadReplicasAlertIsTakenOverAndRunOnce() throws Exception {
        String url = freshSchema();
        // replica "dead" admits an alert and dies before running it: its heartbeat is never renewed
        SharedStore dead = SharedStore.open(url, USER, PASSWORD, "dead", Duration.ofMillis(600));
        dead.start(p -> { });
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        SharedStore.Admitted adm = SharedStore.await(dead.admit(new SharedStore.Admission(id, now, "node-1/load/pod-7/app", "freeze", true,
                now + 3_600_000, alert(7, 1))));
        assertThat(adm.acts()).isTrue();
        // a second alert about the same container, at another replica, is deduplicated by the shared cool-down
        SharedStore other = SharedStore.open(url, USER, PASSWORD, "other", Duration.ofSeconds(10));
        other.start(p -> { });
        SharedStore.Admitted again = SharedStore.await(other.admit(new SharedStore.Admission(UUID.randomUUID().toString(), now + 1,
                "node-1/load/pod-7/app", "freeze", true, now + 3_600_001, alert(7, 2))));
        assertThat(again.deduplicated()).isTrue();
        other.close();
        killWithoutGoodbye(dead);
        RecordingBackend survivor = new RecordingBackend();
        try (ResponseEngine e = engine(url, "survivor", Duration.ofSeconds(10), survivor, "1h")) {
            awaitNoPending(url);
            assertThat(survivor.calls()).hasSize(1);
            assertThat(survivor.calls().getFirst().target().pod()).isEqualTo("pod-7");
        }
        Map<String, Long> row = query(url, "SELECT finished_by || ' ' || outcome, claims FROM serve_alert WHERE id = '" + id + "'");
        assertThat(row).containsOnlyKeys("survivor ok").containsValue(2L);
    }

    @Test
    void aStepRecordedBeforeTheReplicaDiedIsNotRunAgain() throws Exception {
        String url = freshSchema();
        SharedStore dead = SharedStore.open(url, USER, PASSWORD, "dead", Duration.ofMillis(600));
        dead.start(p -> { });
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        SharedStore.await(dead.admit(new SharedStore.Admission(id, now, "node-1/load/pod-3/app", "freeze", true, now + 60_000, alert(3, 1))));
        var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"backend\":\"podman\",\"path\":\"/nowhere/x.tar\"}");
        assertThat(SharedStore.await(dead.step(id, 0, "checkpoint", "ok", null, result))).isTrue();
        killWithoutGoodbye(dead);
        RecordingBackend survivor = new RecordingBackend();
        try (ResponseEngine e = engine(url, "survivor", Duration.ofSeconds(10), survivor, "1h")) {
            awaitNoPending(url);
        }
        assertThat(survivor.calls()).isEmpty();
        assertThat(query(url, "SELECT finished_by, claims FROM serve_alert WHERE id = '" + id + "'")).containsExactly(Map.entry("survivor", 2L));
    }

    @Test
    void anUnreachableDatabaseIsOneLine() {
        assertThatThrownBy(() -> SharedStore.open("jdbc:postgresql://127.0.0.1:1/none", "x", "y", "r", Duration.ofSeconds(1)))
                .isInstanceOf(JournalException.class)
                .hasMessageStartingWith("cannot open the shared store jdbc:postgresql://127.0.0.1:1/none: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> SharedStore.open("jdbc:sqlite:/tmp/x", null, null, "r", Duration.ofSeconds(1)))
                .isInstanceOf(JournalException.class).hasMessageContaining("expected a jdbc:postgresql://");
    }

    private static void killWithoutGoodbye(SharedStore s) {
        s.abandon();
    }
}
