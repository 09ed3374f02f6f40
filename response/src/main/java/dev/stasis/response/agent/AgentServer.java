package dev.stasis.response.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.stasis.evidence.Provenance;
import dev.stasis.response.action.ActionException;
import dev.stasis.response.backend.Checkpoint;
import dev.stasis.response.collect.Collected;
import dev.stasis.response.collect.LocalCollector;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.server.Authenticator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * {@code stasis agent}: runs on every node (a DaemonSet with the kubelet's
 * checkpoint directory mounted) and, when the engine asks
 * ({@code POST /collect {"path":..,"provenance":{..},"reason":..}}), hashes the
 * archive on the node, stores it in the vault and removes the node's copy.
 * Only files inside the checkpoint directory are touched.
 */
public final class AgentServer implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final int MAX_REQUEST = 256 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final LocalCollector collector;
    private final Authenticator auth;
    private final String node;
    private final JsonLog log;

    public AgentServer(InetSocketAddress listen, SSLContext tls, LocalCollector collector, Authenticator auth, String node, JsonLog log) throws IOException {
        this.collector = collector;
        this.auth = auth;
        this.node = node;
        this.log = log;
        if (tls != null) {
            HttpsServer s = HttpsServer.create(listen, 64);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = s;
        } else {
            server = HttpServer.create(listen, 64);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public AgentServer start() {
        server.start();
        return this;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/healthz") || path.equals("/readyz")) {
                send(ex, 200, JSON.createObjectNode().put("status", "ok").put("node", node));
                return;
            }
            if (!path.equals("/collect")) {
                send(ex, 404, err("no such endpoint " + path));
                return;
            }
            if (!ex.getRequestMethod().equals("POST")) {
                send(ex, 405, err("POST /collect"));
                return;
            }
            Authenticator.Refusal r = auth.beforeBody(ex);
            if (r != null) {
                send(ex, r.status(), err(r.reason()));
                return;
            }
            byte[] body = ex.getRequestBody().readNBytes(MAX_REQUEST + 1);
            if (body.length > MAX_REQUEST) {
                send(ex, 413, err("request too large"));
                return;
            }
            JsonNode req;
            try {
                req = JSON.readTree(body);
            } catch (IOException e) {
                send(ex, 400, err("malformed JSON"));
                return;
            }
            String file = req.path("path").asText("");
            if (file.isBlank()) {
                send(ex, 400, err("missing 'path'"));
                return;
            }
            Provenance p;
            try {
                p = req.has("provenance") ? JSON.treeToValue(req.get("provenance"), Provenance.class) : Provenance.empty();
            } catch (IOException e) {
                send(ex, 400, err("bad 'provenance': " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
                return;
            }
            try {
                Collected c = collector.collect(new Checkpoint("kubelet", node, file, Instant.now()), p, req.path("reason").asText(null),
                        req.path("keepSource").asBoolean(false));
                log.info("agent.collected", "path", file, "item", c.itemId(), "size", c.size(), "removed", c.removed());
                send(ex, 200, (ObjectNode) JSON.valueToTree(c));
            } catch (ActionException e) {
                log.warn("agent.collect.failed", "path", file, "error", e.getMessage());
                send(ex, e.retryable() ? 503 : 422, err(e.getMessage()));
            }
        } catch (RuntimeException e) {
            log.error("agent.error", "error", e.toString());
            send(ex, 500, err("internal error: " + e.getClass().getSimpleName()));
        }
    }

    private static ObjectNode err(String m) {
        return JSON.createObjectNode().put("error", m);
    }

    private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
