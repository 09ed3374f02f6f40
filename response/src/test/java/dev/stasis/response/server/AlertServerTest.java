package dev.stasis.response.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.response.Fixtures;
import dev.stasis.response.Harness;
import dev.stasis.response.RecordingBackend;
import dev.stasis.response.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.stasis.response.action.Actions;
import dev.stasis.response.action.Notifier;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.engine.Metrics;
import dev.stasis.response.engine.ResponseEngine;
import dev.stasis.response.engine.RetryPolicy;
import dev.stasis.response.journal.Journal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String POLICY = """
            cooldown: 10m
            rules:
              - name: freeze
                match: {rule: "Outbound Connection to C2*", priority: Critical}
                actions: [{checkpoint: {backend: podman}}]
            """;
    final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void acceptsAllThreeShapesJournalsThenAnswers202() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        try (Harness h = Harness.plain(dir, POLICY, backend)) {
            List<String> ids = new ArrayList<>();
            for (String f : List.of("alerts/falco-c2.json", "alerts/sidekick-c2.json", "alerts/argo-c2.json")) {
                HttpResponse<String> r = h.post(client, Fixtures.bytes(f));
                assertThat(r.statusCode()).as(f).isEqualTo(202);
                JsonNode n = JSON.readTree(r.body());
                ids.add(n.path("id").asText());
                assertThat(n.path("rule").asText()).isEqualTo("freeze");
                // acknowledged means on disk: the journal already holds it
                assertThat(Files.readString(h.journal.file())).contains(n.path("id").asText());
            }
            assertThat(JSON.readTree(h.post(client, Fixtures.bytes("alerts/sidekick-c2.json")).body()).path("outcome").asText()).isEqualTo("deduplicated");
            assertThat(ids).doesNotHaveDuplicates();
            waitFor(() -> backend.calls().size() >= 1);
            assertThat(backend.calls()).hasSize(1);
            assertThat(backend.calls().getFirst().target().pod()).isEqualTo("jupyter-0");
            assertThat(h.get(client, "/healthz").statusCode()).isEqualTo(200);
            assertThat(h.get(client, "/readyz").statusCode()).isEqualTo(200);
            String metrics = h.get(client, "/metrics").body();
            assertThat(metrics).contains("stasis_alerts_received_total{envelope=\"falco\"} 1.0")
                    .contains("stasis_alerts_received_total{envelope=\"falcosidekick\"} 2.0")
                    .contains("stasis_alerts_received_total{envelope=\"argo_events\"} 1.0")
                    .contains("stasis_alerts_deduplicated_total 3.0")
                    .contains("stasis_queue_depth");
            waitFor(() -> h.get(client, "/metrics").body().contains("stasis_actions_total{result=\"ok\",type=\"checkpoint\"} 1.0"));
        }
    }

    @Test
    void badBodiesGet400WithTheReason() throws Exception {
        try (Harness h = Harness.plain(dir, POLICY, new RecordingBackend())) {
            HttpResponse<String> r = h.post(client, "{\"rule\": \"x\", ".getBytes());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").asText()).startsWith("malformed JSON");
            r = h.post(client, "{\"priority\":\"Critical\"}".getBytes());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("missing field 'rule'");
            assertThat(h.get(client, "/alerts").statusCode()).isEqualTo(405);
            assertThat(h.get(client, "/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void hugeBodiesGet413WithOrWithoutContentLength() throws Exception {
        try (Harness h = new Harness(dir, POLICY, new RecordingBackend(), new Authenticator.None(), null, false, 64 * 1024, 0)) {
            byte[] huge = ("{\"rule\":\"x\",\"priority\":\"Critical\",\"output\":\"" + "A".repeat(3 << 20) + "\"}").getBytes();
            assertThat(h.post(client, huge).statusCode()).isEqualTo(413);
            // chunked: no Content-Length, the limit is enforced while reading
            HttpRequest chunked = HttpRequest.newBuilder(h.uri.resolve("/alerts"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build();
            assertThat(client.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
            assertThat(h.post(client, Fixtures.bytes("alerts/falco-c2.json")).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void bearerTokenMissingIs401WrongIs403() throws Exception {
        try (Harness h = new Harness(dir, POLICY, new RecordingBackend(), new Authenticator.Bearer(() -> "s3cret-token"), null, false, 1 << 20, 0)) {
            byte[] a = Fixtures.bytes("alerts/falco-c2.json");
            HttpResponse<String> r = h.post(client, a);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(h.post(client, a, "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
            assertThat(h.post(client, a, "Authorization", "Bearer s3cret-token").statusCode()).isEqualTo(202);
        }
    }

    @Test
    void hmacSignatureOfTimestampAndBody() throws Exception {
        try (Harness h = new Harness(dir, POLICY, new RecordingBackend(), new Authenticator.Hmac(() -> "shared-key", "X-Stasis-Signature"), null,
                false, 1 << 20, 0)) {
            byte[] a = Fixtures.bytes("alerts/sidekick-c2.json");
            String ts = String.valueOf(System.currentTimeMillis() / 1000);
            String sig = opensslHmac("shared-key", ts, a);
            assertThat(h.post(client, a).statusCode()).isEqualTo(401);
            assertThat(h.post(client, a, "X-Stasis-Signature", "sha256=" + sig).statusCode()).as("no timestamp").isEqualTo(401);
            assertThat(h.post(client, a, "X-Stasis-Signature", "sha256=" + "0".repeat(64), "X-Stasis-Timestamp", ts).statusCode()).isEqualTo(403);
            // a body changed after signing fails, and so does a timestamp changed after signing
            byte[] tampered = new String(a, StandardCharsets.UTF_8).replace("jupyter-0", "jupyter-1").getBytes(StandardCharsets.UTF_8);
            assertThat(h.post(client, tampered, "X-Stasis-Signature", "sha256=" + sig, "X-Stasis-Timestamp", ts).statusCode()).isEqualTo(403);
            String later = String.valueOf(Long.parseLong(ts) + 1);
            assertThat(h.post(client, a, "X-Stasis-Signature", "sha256=" + sig, "X-Stasis-Timestamp", later).statusCode()).isEqualTo(403);
            assertThat(h.post(client, a, "X-Stasis-Signature", sig.toUpperCase(), "X-Stasis-Timestamp", ts).statusCode()).isEqualTo(202);
        }
    }

    /**
     * A captured signed request sent again: before, each copy was accepted
     * (and a short cool-down gave a checkpoint per copy); now only the first.
     * A correctly signed request whose timestamp is older than the window is
     * refused as stale.
     */
    @Test
    void hmacReplaysAndStaleRequestsAreRefused() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        try (Harness h = new Harness(dir, "cooldown: 0s\n" + POLICY.substring(POLICY.indexOf("rules:")), backend,
                new Authenticator.Hmac(() -> "shared-key", "X-Stasis-Signature"), null, false, 1 << 20, 0)) {
            byte[] a = Fixtures.bytes("alerts/sidekick-c2.json");
            String ts = String.valueOf(System.currentTimeMillis() / 1000);
            String sig = opensslHmac("shared-key", ts, a);
            int accepted = 0;
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = h.post(client, a, "X-Stasis-Signature", "sha256=" + sig, "X-Stasis-Timestamp", ts);
                if (r.statusCode() == 202) accepted++;
                else assertThat(r.statusCode()).isEqualTo(409);
            }
            assertThat(accepted).as("copies of one signed request accepted").isEqualTo(1);
            String old = String.valueOf(System.currentTimeMillis() / 1000 - 600);
            HttpResponse<String> stale = h.post(client, a, "X-Stasis-Signature", opensslHmac("shared-key", old, a), "X-Stasis-Timestamp", old);
            assertThat(stale.statusCode()).isEqualTo(401);
            assertThat(stale.body()).contains("stale");
            waitFor(() -> backend.calls().size() >= 1);
            Thread.sleep(300);
            assertThat(backend.calls()).hasSize(1);
        }
    }

    /**
     * Junk signatures are refused before the rate limit: they must not use up
     * the tokens of the correctly signed alert that follows them (Falcosidekick
     * does not retry a 429).
     */
    @Test
    void junkSignaturesDoNotUseUpTheRateLimit() throws Exception {
        try (Harness h = new Harness(dir, POLICY, new RecordingBackend(), new Authenticator.Hmac(() -> "shared-key", "X-Stasis-Signature"), null,
                false, 1 << 20, 2)) {
            byte[] a = Fixtures.bytes("alerts/sidekick-c2.json");
            int refused = 0;
            for (int i = 0; i < 50; i++) {
                String ts = String.valueOf(System.currentTimeMillis() / 1000);
                int code = h.post(client, a, "X-Stasis-Signature", HexFormat.of().formatHex(new byte[32]).replace('0', (char) ('a' + i % 6)),
                        "X-Stasis-Timestamp", ts).statusCode();
                if (code == 403) refused++;
            }
            assertThat(refused).isEqualTo(50);
            String ts = String.valueOf(System.currentTimeMillis() / 1000);
            assertThat(h.post(client, a, "X-Stasis-Signature", opensslHmac("shared-key", ts, a), "X-Stasis-Timestamp", ts).statusCode())
                    .as("a signed alert after the junk").isEqualTo(202);
        }
    }

    /** The signature as an independent tool computes it over "TIMESTAMP." followed by the body. */
    static String opensslHmac(String key, String timestamp, byte[] body) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", key, "-r").start();
        p.getOutputStream().write((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().write(body);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).isZero();
        return out.split("\\s+")[0];
    }

    /**
     * An unexpected error while accepting: the client gets the 500 and its
     * JSON reason (before, the exchange was closed before the handler's catch
     * ran, and the client saw an empty reply).
     */
    @Test
    void anInternalErrorIsAnswered500WithItsReason() throws Exception {
        Path state = dir.resolve("state");
        Journal journal = Journal.open(state, 0);
        Actions actions = new Actions(Map.of("podman", new RecordingBackend()), "podman", Map.of(), null, new Notifier(client), "test");
        ResponseEngine engine = new ResponseEngine(() -> {
            throw new IllegalArgumentException("policy exploded");
        }, journal, actions, new Metrics(), JsonLog.SILENT, new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10)), null);
        AlertServer server = new AlertServer(new InetSocketAddress("127.0.0.1", 0), null, false, engine, new Authenticator.None(), 1 << 20, 0,
                JsonLog.SILENT);
        server.start();
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.address().getPort() + "/alerts"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("alerts/falco-c2.json"))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(r.body()).path("error").asText()).startsWith("internal error: IllegalArgumentException");
        } finally {
            server.close();
            engine.close();
        }
    }

    @Test
    void mutualTls() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        SSLContext server = Pem.context(pki.serverCert(), pki.serverKey(), pki.caCert());
        try (Harness h = new Harness(dir, POLICY, new RecordingBackend(), new Authenticator.Mtls(List.of("falcosidekick")), server, true, 1 << 20, 0)) {
            byte[] a = Fixtures.bytes("alerts/falco-c2.json");
            HttpClient good = HttpClient.newBuilder().sslContext(Pem.context(pki.clientCert(), pki.clientKey(), pki.caCert())).build();
            assertThat(h.post(good, a).statusCode()).isEqualTo(202);
            HttpClient anonymous = HttpClient.newBuilder().sslContext(Pem.context(null, null, pki.caCert())).build();
            assertThatThrownBy(() -> h.post(anonymous, a)).isInstanceOf(IOException.class);
            HttpClient stranger = HttpClient.newBuilder().sslContext(Pem.context(pki.strangerCert(), pki.strangerKey(), pki.caCert())).build();
            assertThatThrownBy(() -> h.post(stranger, a)).isInstanceOf(IOException.class);
        }
        try (Harness h = new Harness(dir.resolve("2"), POLICY, new RecordingBackend(), new Authenticator.Mtls(List.of("someone-else")), server, true,
                1 << 20, 0)) {
            HttpClient good = HttpClient.newBuilder().sslContext(Pem.context(pki.clientCert(), pki.clientKey(), pki.caCert())).build();
            HttpResponse<String> r = h.post(good, Fixtures.bytes("alerts/falco-c2.json"));
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("'falcosidekick' is not allowed");
        }
    }

    @Test
    void overTheRateLimitIs429() throws Exception {
        try (Harness h = new Harness(dir, POLICY, new RecordingBackend(), new Authenticator.None(), null, false, 1 << 20, 5)) {
            int limited = 0;
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> r = h.post(client, Fixtures.bytes("alerts/falco-c2.json"));
                if (r.statusCode() == 429) {
                    limited++;
                    assertThat(r.headers().firstValue("Retry-After")).contains("1");
                } else {
                    assertThat(r.statusCode()).isEqualTo(202);
                }
            }
            assertThat(limited).isPositive();
        }
    }

    @Test
    void aStormYieldsOneCheckpointPerContainer() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        String template = Fixtures.text("alerts/sidekick-c2.json");
        try (Harness h = Harness.plain(dir, POLICY, backend); var pool = Executors.newFixedThreadPool(16)) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                byte[] body = template.replace("jupyter-0", "jupyter-" + (i % 20)).getBytes(StandardCharsets.UTF_8);
                answers.add(pool.submit(() -> h.post(client, body).statusCode()));
            }
            for (Future<Integer> f : answers) assertThat(f.get()).isEqualTo(202);
            waitFor(() -> backend.calls().size() >= 20);
            Thread.sleep(200);
            assertThat(backend.calls()).hasSize(20);
            assertThat(backend.calls().stream().map(c -> c.target().pod()).distinct()).hasSize(20);
            assertThat(h.get(client, "/metrics").body()).contains("stasis_alerts_deduplicated_total 1980.0");
        }
    }

    @Test
    void dryRunDecidesButDoesNothing() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        try (Harness h = Harness.plain(dir, "dryRun: true\n" + POLICY, backend)) {
            HttpResponse<String> r = h.post(client, Fixtures.bytes("alerts/falco-c2.json"));
            assertThat(JSON.readTree(r.body()).path("outcome").asText()).isEqualTo("dry-run");
            Thread.sleep(300);
            assertThat(backend.calls()).isEmpty();
        }
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
