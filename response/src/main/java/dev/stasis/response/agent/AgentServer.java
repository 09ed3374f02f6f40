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
import dev.stasis.response.collect.Collected;
import dev.stasis.response.engine.JsonLog;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * {@code stasis agent}: runs on every node (a DaemonSet with the kubelet's
 * checkpoint directory mounted) and, when the engine asks
 * ({@code POST /collect {"path":..,"provenance":{..},"reason":..}}), hashes the
 * archive on the node, stores it in the vault and removes the node's copy.
 * Only files directly inside the checkpoint directory are touched (see
 * {@link CheckpointDirectory}); the caller's provenance is stored as its claim
 * (see {@link NodeCollector}).
 */
public final class AgentServer implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final int MAX_REQUEST = 256 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final NodeCollector collector;
    private final AgentAuth auth;
    private final String node;
    private final JsonLog log;

    /**
     * @param tls null serves plain HTTP: only on a loopback address (the caller checks the
     *            flag that allows it; this refuses any other address)
     */
    public AgentServer(InetSocketAddress listen, SSLContext tls, NodeCollector collector, AgentAuth auth, String node, JsonLog log) throws IOException {
        if (tls == null && (listen.getAddress() == null || !listen.getAddress().isLoopbackAddress()))
            throw new IllegalArgumentException("plain HTTP is only served on a loopback address, not " + listen.getHostString()
                    + "; give a TLS certificate to listen elsewhere");
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

    private void handle(HttpExchange ex) {
        // The exchange is closed last (finally), after any error reply: closing it first would send a 500 as an empty reply.
        try {
            route(ex);
        } catch (RuntimeException | IOException e) {
            log.error("agent.error", "error", e.toString());
            try {
                send(ex, 500, err("internal error"));
            } catch (IOException | RuntimeException ignored) {
                // the response was under way already; the client sees a cut connection
            }
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/healthz") || path.equals("/readyz")) {
            send(ex, 200, JSON.createObjectNode().put("status", "ok").put("node", node));
            return;
        }
        if (!path.equals("/collect")) {
            send(ex, 404, err("no such endpoint"));
            return;
        }
        if (!ex.getRequestMethod().equals("POST")) {
            send(ex, 405, err("POST /collect"));
            return;
        }
        String caller;
        switch (auth.check(ex.getRequestHeaders().getFirst("Authorization"))) {
            case AgentAuth.Refused r -> {
                log.warn("agent.refused", "status", r.status(), "reason", r.reason(), "from", String.valueOf(ex.getRemoteAddress()));
                send(ex, r.status(), err(r.status() == 503 ? "cannot check credentials now" : "not authorized"));
                return;
            }
            case AgentAuth.Allowed a -> caller = a.identity();
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
            req = null;
        }
        if (req == null || !req.isObject()) {
            send(ex, 400, err("malformed JSON"));
            return;
        }
        String file = req.path("path").asText("");
        if (file.isBlank()) {
            send(ex, 400, err("missing 'path'"));
            return;
        }
        Provenance claimed;
        try {
            claimed = req.hasNonNull("provenance") ? JSON.treeToValue(req.get("provenance"), Provenance.class) : null;
        } catch (IOException e) {
            send(ex, 400, err("bad 'provenance'"));
            return;
        }
        CallerClaim claim = new CallerClaim(caller, claimed, req.hasNonNull("reason") ? req.get("reason").asText() : null);
        try {
            Collected c = collector.collect(file, claim, req.path("keepSource").asBoolean(false));
            log.info("agent.collected", "path", file, "item", c.itemId(), "size", c.size(), "removed", c.removed(), "caller", caller);
            send(ex, 200, (ObjectNode) JSON.valueToTree(c));
        } catch (CheckpointDirectory.Refused e) {
            log.warn("agent.collect.refused", "path", file, "why", e.getMessage(), "caller", caller);
            send(ex, 422, err(CheckpointDirectory.Refused.GENERIC));
        } catch (ActionException e) {
            log.warn("agent.collect.failed", "path", file, "error", e.getMessage(), "caller", caller);
            send(ex, e.retryable() ? 503 : 422, err(e.getMessage()));
        }
    }

    private static ObjectNode err(String m) {
        return JSON.createObjectNode().put("error", m);
    }

    private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        // a refused or failed request ends its connection: its unread body is never drained
        // into the next request, and an unauthenticated client keeps no connection open
        if (status >= 400) ex.getResponseHeaders().set("Connection", "close");
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
