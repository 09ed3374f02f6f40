package dev.stasis.response.backend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The kubelet's checkpoint endpoint as KEP-2008 and the kubelet's server
 * define it (formats.md section 3), and nothing more: {@code POST
 * /checkpoint/{namespace}/{pod}/{container}[?timeout=seconds]}, bearer
 * authentication (401) and authorization of {@code nodes/checkpoint create}
 * (403), 404 for an unknown pod or container or an unparsable timeout, 500
 * when the runtime fails, 200 {@code {"items":[path]}}. The same handler
 * answers under the API server proxy prefix {@code /api/v1/nodes/{node}/proxy}.
 * A container set to "hang" never answers (until the test ends).
 */
public final class FakeKubelet implements AutoCloseable {
    public enum Behaviour { OK, RUNTIME_FAILS, HANG }

    public record Request(String method, String path, String query, String authorization) {}

    public static final String GOOD_TOKEN = "sa-token-with-nodes-checkpoint";
    public static final String UNPRIVILEGED_TOKEN = "sa-token-without-rbac";

    private final HttpsServer server;
    private final Map<String, Behaviour> containers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final Path checkpointDir;

    public FakeKubelet(SSLContext tls, Path checkpointDir) throws IOException {
        this.checkpointDir = checkpointDir;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void container(String ns, String pod, String container, Behaviour b) {
        containers.put(ns + "/" + pod + "/" + container, b);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(), ex.getRequestHeaders().getFirst("Authorization")));
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !(auth.equals("Bearer " + GOOD_TOKEN) || auth.equals("Bearer " + UNPRIVILEGED_TOKEN))) {
                send(ex, 401, "Unauthorized");
                return;
            }
            path = path.replaceFirst("^/api/v1/nodes/[^/]+/proxy", "");
            String[] parts = path.split("/");
            if (parts.length != 5 || !parts[1].equals("checkpoint")) {
                send(ex, 404, "404 page not found");
                return;
            }
            if (auth.equals("Bearer " + UNPRIVILEGED_TOKEN)) {
                send(ex, 403, "Forbidden (user=system:serviceaccount:stasis:engine, verb=create, resource=nodes, subresource(s)=[checkpoint])");
                return;
            }
            if (!ex.getRequestMethod().equals("POST")) {
                send(ex, 405, "405: Method Not Allowed");
                return;
            }
            String q = ex.getRequestURI().getRawQuery();
            if (q != null && q.startsWith("timeout=")) {
                try {
                    Long.parseLong(q.substring(8));
                } catch (NumberFormatException e) {
                    send(ex, 404, "cannot parse value of timeout parameter");
                    return;
                }
            }
            String ns = parts[2], pod = parts[3], container = parts[4];
            Behaviour b = containers.get(ns + "/" + pod + "/" + container);
            boolean podKnown = containers.keySet().stream().anyMatch(k -> k.startsWith(ns + "/" + pod + "/"));
            if (!podKnown) {
                send(ex, 404, "pod does not exist");
                return;
            }
            if (b == null) {
                send(ex, 404, "container " + container + " does not exist");
                return;
            }
            switch (b) {
                case HANG -> {
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                case RUNTIME_FAILS -> send(ex, 500, "checkpointing of " + ns + "/" + pod + "/" + container
                        + " failed (rpc error: code = Unknown desc = failed to checkpoint container: criu not found)");
                case OK -> {
                    // the kubelet's naming: checkpoint-<pod>_<namespace>-<container>-<RFC3339 time>.tar
                    Path archive = checkpointDir.resolve("checkpoint-" + pod + "_" + ns + "-" + container + "-2026-11-29T16:32:00Z.tar");
                    if (onCheckpoint != null) onCheckpoint.write(archive);
                    send(ex, 200, "{\"items\":[\"" + archive + "\"]}");
                }
            }
        }
    }

    /** Writes the archive the runtime would have written. */
    public interface ArchiveWriter {
        void write(Path archive) throws IOException;
    }

    public volatile ArchiveWriter onCheckpoint = archive -> Files.writeString(archive, "not a real archive");

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
