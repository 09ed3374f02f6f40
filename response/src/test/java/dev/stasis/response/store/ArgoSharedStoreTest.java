package dev.stasis.response.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.response.RecordingBackend;
import dev.stasis.response.action.Actions;
import dev.stasis.response.action.Notifier;
import dev.stasis.response.alert.AlertParser;
import dev.stasis.response.argo.ArgoDouble;
import dev.stasis.response.argo.ArgoExecutor;
import dev.stasis.response.argo.ArgoSubmitter;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.engine.Metrics;
import dev.stasis.response.engine.PolicySource;
import dev.stasis.response.engine.ResponseEngine;
import dev.stasis.response.engine.RetryPolicy;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code executor: argo} with replicas sharing the real PostgreSQL (as {@link SharedStoreTest}): one workflow per
 * container and cool-down across replicas, and a take-over that never submits a second workflow for an alert.
 * Asserted: the submissions that reached {@link ArgoDouble} and the store's tables read with plain SQL.
 */
class ArgoSharedStoreTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        SharedStoreTest.connect();
    }

    @org.junit.jupiter.api.AfterAll
    static void drop() throws Exception {
        SharedStoreTest.dropSchemas();
    }

    private ResponseEngine engine(String url, String replica, ArgoDouble argo, RecordingBackend backend) throws Exception {
        Path policy = Files.writeString(dir.resolve("policy-" + replica + ".yaml"), "cooldown: 1h\nrules:\n  - name: freeze\n"
                + "    match: {rule: \"Outbound Connection*\"}\n    actions: [{checkpoint: {backend: podman}}]\n");
        Actions actions = new Actions(Map.of("podman", backend), "podman", Map.of(), null, new Notifier(HttpClient.newHttpClient()), "test");
        SharedStore store = SharedStore.open(url, SharedStoreTest.USER, SharedStoreTest.PASSWORD, replica, Duration.ofSeconds(10));
        ResponseEngine e = new ResponseEngine(new PolicySource(policy, JsonLog.SILENT), store, actions, new Metrics(), JsonLog.SILENT,
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)), null);
        e.executeOn(ArgoExecutor.of(HttpClient.newHttpClient(), new ArgoSubmitter.Target(argo.uri(), argo.namespace, "stasis-respond", () -> argo.token)));
        e.resume();
        return e;
    }

    private static Map<String, Long> query(String url, String sql) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, SharedStoreTest.USER, SharedStoreTest.PASSWORD); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
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
    void twoReplicasSubmitOneWorkflowPerContainerAndCooldown() throws Exception {
        String url = SharedStoreTest.freshSchema();
        RecordingBackend backend = new RecordingBackend();
        int alerts = 400, containers = 20;
        try (ArgoDouble argo = new ArgoDouble("stasis-agent", "argo-token")) {
            try (ResponseEngine a = engine(url, "a", argo, backend); ResponseEngine b = engine(url, "b", argo, backend);
                 var senders = Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < alerts; i++) {
                    int seq = i;
                    ResponseEngine to = i % 2 == 0 ? a : b;
                    senders.submit(() -> to.accept(AlertParser.parse(SharedStoreTest.alert(seq % containers, seq)), System.nanoTime()));
                }
                senders.shutdown();
                assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                awaitNoPending(url);
            }
            assertThat(argo.submits).hasSize(containers);
            assertThat(argo.workflows.stream().map(w -> w.parameters().get("pod")).distinct()).hasSize(containers);
            assertThat(backend.calls()).isEmpty();
        }
        assertThat(query(url, "SELECT action || ' ' || outcome, count(*) FROM serve_step GROUP BY 1")).containsExactly(Map.entry("argo ok", (long) containers));
        assertThat(query(url, "SELECT state, count(*) FROM serve_alert GROUP BY state")).containsExactly(Map.entry("done", (long) alerts));
    }

    @Test
    void aTakeOverNeverSubmitsASecondWorkflow() throws Exception {
        String url = SharedStoreTest.freshSchema();
        try (ArgoDouble argo = new ArgoDouble("stasis-agent", "argo-token")) {
            // replica "dead" admitted three alerts, then died: after recording one submission, while another was on its
            // way (its attempt recorded, the workflow made in Argo, the answer lost), before handing the third over
            SharedStore dead = SharedStore.open(url, SharedStoreTest.USER, SharedStoreTest.PASSWORD, "dead", Duration.ofMillis(600));
            dead.start(p -> { });
            String recorded = UUID.randomUUID().toString(), inFlight = UUID.randomUUID().toString(), notYet = UUID.randomUUID().toString();
            long now = System.currentTimeMillis();
            int c = 0;
            for (String id : new String[] {recorded, inFlight, notYet}) {
                c++;
                SharedStore.await(dead.admit(new SharedStore.Admission(id, now, "node-1/load/pod-" + c + "/app", "freeze", true, now + 3_600_000,
                        SharedStoreTest.alert(c, c))));
            }
            var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"workflow\":\"stasis-respond-" + recorded + "-abcde\"}");
            SharedStore.await(dead.step(recorded, ArgoExecutor.STEP, ArgoExecutor.TYPE, "ok", null, result));
            SharedStore.await(dead.attempt(inFlight, ArgoExecutor.STEP, 1, now));
            argo.existing("stasis-respond-" + inFlight + "-q7x2z", inFlight);
            dead.abandon();
            try (ResponseEngine survivor = engine(url, "survivor", argo, new RecordingBackend())) {
                awaitNoPending(url);
            }
            assertThat(argo.submits).hasSize(1);
            assertThat(argo.workflows.stream().filter(w -> w.labels().get("stasis.dev/alert").equals(notYet))).hasSize(1);
            assertThat(argo.workflows).hasSize(2);
            Map<String, Long> rows = query(url, "SELECT alert_id || ' ' || by || ' ' || (result::jsonb ->> 'workflow'), count(*) FROM serve_step GROUP BY 1");
            assertThat(rows).containsOnlyKeys(recorded + " dead stasis-respond-" + recorded + "-abcde",
                    inFlight + " survivor stasis-respond-" + inFlight + "-q7x2z",
                    notYet + " survivor " + argo.workflows.stream().filter(w -> w.labels().get("stasis.dev/alert").equals(notYet)).findFirst().orElseThrow().name());
            assertThat(query(url, "SELECT state, count(*) FROM serve_alert GROUP BY state")).containsExactly(Map.entry("done", 3L));
        }
    }
}
