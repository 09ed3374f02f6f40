package dev.stasis.response.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stasis.testsupport.ProjectFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the Argo Server (there is none here), answering the two calls of its documented API that
 * stasis makes, and refusing what the real one refuses:
 * <ul>
 *   <li>{@code POST /api/v1/workflows/{namespace}/submit}, a WorkflowSubmitRequest {namespace, resourceKind,
 *       resourceName, submitOptions (SubmitOpts)}: 200 with the new Workflow ({@code metadata.name} = generateName +
 *       5 characters); the parameters ({@code NAME=VALUE}) must be ones the WorkflowTemplate declares, read from
 *       deploy/argo/workflowtemplate.yaml, and every declared one without a default must be given;</li>
 *   <li>{@code GET /api/v1/workflows/{namespace}?listOptions.labelSelector=K=V} (or {@code K}: the label exists): a WorkflowList whose
 *       {@code items} is null when nothing matches (Go's nil slice).</li>
 * </ul>
 * Bearer token checked (401, as the server's {@code code: 16} Unauthenticated); {@link #failNext} makes the next
 * submissions answer 503 (a server restarting behind its Service).
 */
public final class ArgoDouble implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SUBMIT_OPTS = Set.of("annotations", "dryRun", "entryPoint", "generateName", "labels", "name",
            "ownerReference", "parameterFile", "parameters", "podPriorityClassName", "priority", "serverDryRun", "serviceAccount");

    /** A workflow the double made: its name, labels and parameters. */
    public record Workflow(String name, Map<String, String> labels, Map<String, String> parameters) {}

    public final String namespace;
    public final String token;
    public final AtomicInteger failNext = new AtomicInteger();
    /** Every submit request that reached the double, accepted or not (what left stasis). */
    public final List<JsonNode> submits = new CopyOnWriteArrayList<>();
    public final List<Workflow> workflows = new CopyOnWriteArrayList<>();
    public final AtomicInteger lists = new AtomicInteger();
    private final Map<String, Boolean> templateParameters;
    private final HttpServer server;
    private final AtomicInteger seq = new AtomicInteger();

    public ArgoDouble(String namespace, String token) throws IOException {
        this(namespace, token, null);
    }

    /** @param tls the server's certificate (the Argo Server serves HTTPS by default), or null for plain HTTP */
    public ArgoDouble(String namespace, String token, javax.net.ssl.SSLContext tls) throws IOException {
        this.namespace = namespace;
        this.token = token;
        this.templateParameters = templateParameters();
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(at, 0);
        } else {
            var https = com.sun.net.httpserver.HttpsServer.create(at, 0);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public URI uri() {
        return URI.create((server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The WorkflowTemplate's parameters, name to whether it has a default (deploy/argo/workflowtemplate.yaml). */
    public static Map<String, Boolean> templateParameters() throws IOException {
        JsonNode t = new ObjectMapper(new YAMLFactory()).readTree(ProjectFiles.root().resolve("deploy/argo/workflowtemplate.yaml").toFile());
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (JsonNode p : t.path("spec").path("arguments").path("parameters")) out.put(p.path("name").asText(), p.has("value"));
        return out;
    }

    /** A workflow submitted earlier (by a replica that died before it recorded the answer). */
    public void existing(String name, String alertLabel) {
        workflows.add(new Workflow(name, Map.of("stasis.dev/alert", alertLabel), Map.of()));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                if (path.endsWith("/submit")) submits.add(JSON.createObjectNode());
                send(ex, 401, "{\"code\":16,\"message\":\"token not valid\"}");
                return;
            }
            if (ex.getRequestMethod().equals("GET") && path.equals("/api/v1/workflows/" + namespace)) {
                lists.incrementAndGet();
                list(ex);
                return;
            }
            if (!ex.getRequestMethod().equals("POST") || !path.equals("/api/v1/workflows/" + namespace + "/submit")) {
                send(ex, 404, "{\"code\":5,\"message\":\"Not Found\"}");
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(ex.getRequestBody().readAllBytes());
            } catch (IOException e) {
                body = JSON.createObjectNode();
            }
            submits.add(body);
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(ex, 503, "upstream connect error or disconnect/reset before headers");
                return;
            }
            String problem = problem(body);
            if (problem != null) {
                send(ex, 400, JSON.createObjectNode().put("code", 3).put("message", problem).toString());
                return;
            }
            JsonNode opts = body.get("submitOptions");
            Map<String, String> labels = new HashMap<>();
            for (String kv : opts.path("labels").asText("").split(",")) {
                int i = kv.indexOf('=');
                if (i > 0) labels.put(kv.substring(0, i), kv.substring(i + 1));
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (JsonNode p : opts.path("parameters")) {
                String s = p.asText();
                params.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
            }
            String name = opts.path("generateName").asText() + String.format("%05x", seq.incrementAndGet()).substring(0, 5);
            workflows.add(new Workflow(name, labels, params));
            ObjectNode wf = JSON.createObjectNode();
            wf.putObject("metadata").put("name", name).put("namespace", namespace).put("uid", java.util.UUID.randomUUID().toString());
            wf.putObject("spec").putObject("workflowTemplateRef").put("name", body.path("resourceName").asText());
            send(ex, 200, wf.toString());
        }
    }

    /** What the real server refuses (400 InvalidArgument), or null. */
    private String problem(JsonNode b) {
        List<String> top = new ArrayList<>();
        b.fieldNames().forEachRemaining(top::add);
        if (!Set.of("namespace", "resourceKind", "resourceName", "submitOptions").containsAll(top)) return "unknown field in " + top;
        if (!namespace.equals(b.path("namespace").asText())) return "namespace mismatch";
        if (!"WorkflowTemplate".equals(b.path("resourceKind").asText())) return "resourceKind " + b.path("resourceKind");
        if (!"stasis-respond".equals(b.path("resourceName").asText())) return "workflowtemplates.argoproj.io \"" + b.path("resourceName").asText() + "\" not found";
        JsonNode opts = b.path("submitOptions");
        List<String> o = new ArrayList<>();
        opts.fieldNames().forEachRemaining(o::add);
        if (!SUBMIT_OPTS.containsAll(o)) return "unknown submitOptions field in " + o;
        if (!opts.path("labels").isTextual() || !opts.path("generateName").isTextual() || !opts.path("parameters").isArray()) return "malformed submitOptions";
        if (!opts.path("generateName").asText().matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?-")) return "invalid generateName";
        Set<String> given = new java.util.HashSet<>();
        for (JsonNode p : opts.path("parameters")) {
            String s = p.asText();
            int i = s.indexOf('=');
            if (i <= 0) return "parameter '" + s + "' is not NAME=VALUE";
            String name = s.substring(0, i);
            if (!templateParameters.containsKey(name)) return "parameter '" + name + "' is not declared by the template";
            given.add(name);
        }
        for (var e : templateParameters.entrySet()) if (!e.getValue() && !given.contains(e.getKey())) return "spec.arguments." + e.getKey() + ".value is required";
        return null;
    }

    private void list(HttpExchange ex) throws IOException {
        String selector = null;
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) for (String kv : q.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0 && kv.substring(0, i).equals("listOptions.labelSelector")) selector = URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
        }
        ObjectNode out = JSON.createObjectNode();
        out.putObject("metadata").put("resourceVersion", "1");
        ArrayNode items = JSON.createArrayNode();
        for (Workflow w : workflows) {
            boolean match = true;
            if (selector != null) for (String term : selector.split(",")) {
                // Kubernetes label selectors: KEY=VALUE, or KEY alone (the label exists)
                int i = term.indexOf('=');
                match &= i > 0 ? term.substring(i + 1).equals(w.labels().get(term.substring(0, i))) : w.labels().containsKey(term);
            }
            if (match) items.addObject().putObject("metadata").put("name", w.name());
        }
        if (items.isEmpty()) out.putNull("items");
        else out.set("items", items);
        send(ex, 200, out.toString());
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
