package dev.stasis.response.argo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a double of the Argo Server that checks what its submit API documents (WorkflowSubmitRequest, SubmitOpts). */
class ArgoSubmitterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SUBMIT_OPTS = Set.of("annotations", "dryRun", "entryPoint", "generateName", "labels", "name",
            "ownerReference", "parameterFile", "parameters", "podPriorityClassName", "priority", "serverDryRun", "serviceAccount");
    private HttpServer server;
    private final List<JsonNode> accepted = new ArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger();

    private ArgoSubmitter start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            int status;
            String out;
            JsonNode body = null;
            try { body = JSON.readTree(in); } catch (Exception e) { /* judged below */ }
            if (!ex.getRequestMethod().equals("POST") || !ex.getRequestURI().getPath().equals("/api/v1/workflows/stasis-agent/submit")) {
                status = 404; out = "{\"code\":5}";
            } else if (!"Bearer s3cret".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                status = 401; out = "{\"code\":16}";
            } else if (body == null || !fieldsOk(body)) {
                status = 400; out = "{\"code\":3}";
            } else if (failFirst.getAndDecrement() > 0) {
                status = 503; out = "unavailable";
            } else {
                accepted.add(body);
                status = 200;
                out = "{\"metadata\":{\"name\":\"" + body.path("submitOptions").path("generateName").asText() + "x7k2q\",\"namespace\":\"stasis-agent\"}}";
            }
            byte[] b = out.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new ArgoSubmitter(HttpClient.newHttpClient(), new ArgoSubmitter.Target(uri, "stasis-agent", "stasis-respond", () -> "s3cret"), 3, Duration.ofMillis(10));
    }

    private static boolean fieldsOk(JsonNode b) {
        List<String> top = new ArrayList<>();
        b.fieldNames().forEachRemaining(top::add);
        if (!Set.copyOf(top).equals(Set.of("namespace", "resourceKind", "resourceName", "submitOptions"))) return false;
        List<String> opts = new ArrayList<>();
        b.path("submitOptions").fieldNames().forEachRemaining(opts::add);
        return SUBMIT_OPTS.containsAll(opts) && b.path("submitOptions").path("parameters").isArray()
                && b.path("submitOptions").path("labels").isTextual();
    }

    @AfterEach
    void stop() { if (server != null) server.stop(0); }

    private static Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("alert", "{\"rule\":\"Terminal shell in container\"}");
        p.put("namespace", "shop");
        p.put("pod", "web-1");
        p.put("container", "web");
        p.put("node", "node-a");
        return p;
    }

    @Test
    void one_submission_with_the_templates_parameters() throws Exception {
        var outcome = start().submit("A1b2", params());
        assertThat(outcome).isEqualTo(new ArgoSubmitter.Outcome.Submitted("stasis-respond-a1b2-x7k2q"));
        assertThat(accepted).hasSize(1);
        JsonNode b = accepted.get(0);
        assertThat(b.path("resourceKind").asText()).isEqualTo("WorkflowTemplate");
        assertThat(b.path("resourceName").asText()).isEqualTo("stasis-respond");
        assertThat(b.path("submitOptions").path("labels").asText()).isEqualTo("stasis.dev/alert=A1b2");
        List<String> ps = new ArrayList<>();
        b.path("submitOptions").path("parameters").forEach(n -> ps.add(n.asText()));
        assertThat(ps).containsExactly("alert={\"rule\":\"Terminal shell in container\"}", "namespace=shop", "pod=web-1", "container=web", "node=node-a");
    }

    @Test
    void a_503_is_retried_once() throws Exception {
        var s = start();
        failFirst.set(1);
        assertThat(s.submit("a2", params())).isInstanceOf(ArgoSubmitter.Outcome.Submitted.class);
        assertThat(accepted).hasSize(1);
        assertThat(failFirst.get()).isEqualTo(-1);
    }

    @Test
    void a_4xx_is_a_failure_not_retried() throws Exception {
        var s = start();
        var bad = new ArgoSubmitter(HttpClient.newHttpClient(), new ArgoSubmitter.Target(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "stasis-agent", "stasis-respond", () -> "wrong"), 3, Duration.ofMillis(10));
        assertThat(bad.submit("a3", params())).isEqualTo(new ArgoSubmitter.Outcome.Rejected(401, "{\"code\":16}"));
        assertThat(accepted).isEmpty();
    }
}
