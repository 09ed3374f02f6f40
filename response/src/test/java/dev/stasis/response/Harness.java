package dev.stasis.response;

import dev.stasis.response.action.Actions;
import dev.stasis.response.action.Notifier;
import dev.stasis.response.backend.CheckpointBackend;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.engine.Metrics;
import dev.stasis.response.engine.PolicySource;
import dev.stasis.response.engine.ResponseEngine;
import dev.stasis.response.engine.RetryPolicy;
import dev.stasis.response.journal.Journal;
import dev.stasis.response.server.AlertServer;
import dev.stasis.response.server.Authenticator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** An engine and its HTTP server on 127.0.0.1 (ephemeral port), with a given policy and backend. */
public final class Harness implements AutoCloseable {
    public final ResponseEngine engine;
    public final AlertServer server;
    public final Journal journal;
    public final URI uri;
    public final Path policyFile;

    public Harness(Path dir, String policyYaml, CheckpointBackend backend, Authenticator auth, SSLContext tls, boolean mtls, long maxBody, int rate)
            throws IOException {
        Files.createDirectories(dir);
        policyFile = dir.resolve("policy.yaml");
        Files.writeString(policyFile, policyYaml);
        journal = Journal.open(dir.resolve("state"), 0);
        Actions actions = new Actions(Map.of(backend.name(), backend), backend.name(), Map.of(), null,
                new Notifier(HttpClient.newHttpClient()), "test");
        engine = new ResponseEngine(new PolicySource(policyFile, JsonLog.SILENT), journal, actions, new Metrics(), JsonLog.SILENT,
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)), null);
        engine.resume();
        server = new AlertServer(new InetSocketAddress("127.0.0.1", 0), tls, mtls, engine, auth, maxBody, rate, JsonLog.SILENT);
        server.start();
        uri = URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + server.address().getPort() + "/");
    }

    public static Harness plain(Path dir, String policyYaml, CheckpointBackend backend) throws IOException {
        return new Harness(dir, policyYaml, backend, new Authenticator.None(), null, false, 1 << 20, 0);
    }

    public HttpResponse<String> post(HttpClient client, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve("/alerts")).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        if (headers.length > 0) b.headers(headers);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(HttpClient client, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
