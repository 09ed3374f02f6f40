package dev.stasis.response.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Submits a Workflow from a WorkflowTemplate through the Argo Server's submit API
 * ({@code POST /api/v1/workflows/{namespace}/submit}, body a WorkflowSubmitRequest).
 * The generateName and label carry the alert id, so a journalled submission can be found again.
 * Retried on 5xx and connection errors (the server or its proxy is briefly away); a 4xx is final:
 * the request itself is wrong and sending it again cannot help.
 * {@code stasis serve} with {@code executor: argo} drives it through {@link ArgoExecutor}, with one attempt
 * per call: the engine's own retry policy and journal decide when to try again.
 */
public final class ArgoSubmitter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param token the bearer token, read per request (a mounted service-account token rotates) */
    public record Target(URI server, String namespace, String workflowTemplate, java.util.function.Supplier<String> token) {}

    public sealed interface Outcome {
        record Submitted(String workflowName) implements Outcome {}
        record Rejected(int status, String body) implements Outcome {}
    }

    private final HttpClient http;
    private final Target target;
    private final int maxAttempts;
    private final Duration backoff;

    public ArgoSubmitter(HttpClient http, Target target, int maxAttempts, Duration backoff) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        this.http = http;
        this.target = target;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
    }

    /** Kubernetes label values: at most 63 of [A-Za-z0-9._-], starting and ending alphanumeric. */
    static String labelValue(String alertId) {
        String v = alertId.replaceAll("[^A-Za-z0-9._-]", "-");
        if (v.length() > 63) v = v.substring(0, 63);
        return v.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }

    String body(String alertId, Map<String, String> parameters) {
        ObjectNode root = JSON.createObjectNode();
        root.put("namespace", target.namespace());
        root.put("resourceKind", "WorkflowTemplate");
        root.put("resourceName", target.workflowTemplate());
        ObjectNode opts = root.putObject("submitOptions");
        var params = opts.putArray("parameters");
        parameters.forEach((k, v) -> params.add(k + "=" + v));
        String label = labelValue(alertId);
        opts.put("labels", "stasis.dev/alert=" + label);
        opts.put("generateName", target.workflowTemplate() + "-" + label.toLowerCase().replaceAll("[^a-z0-9-]", "-") + "-");
        return root.toString();
    }

    public Outcome submit(String alertId, Map<String, String> parameters) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(target.server().resolve("/api/v1/workflows/" + target.namespace() + "/submit"))
                .header("Authorization", "Bearer " + target.token().get())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body(alertId, parameters)))
                .build();
        IOException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) Thread.sleep(backoff.multipliedBy(1L << Math.min(attempt - 2, 6)));
            try {
                HttpResponse<String> rsp = http.send(req, HttpResponse.BodyHandlers.ofString());
                int s = rsp.statusCode();
                if (s >= 200 && s < 300) {
                    JsonNode name = JSON.readTree(rsp.body()).path("metadata").path("name");
                    if (!name.isTextual()) throw new IOException("argo: the submit response has no metadata.name");
                    return new Outcome.Submitted(name.asText());
                }
                if (s < 500) return new Outcome.Rejected(s, rsp.body());
                last = new IOException("argo: HTTP " + s);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * The workflows already submitted for an alert, found by the label {@link #body} puts on them
     * ({@code GET /api/v1/workflows/{namespace}?listOptions.labelSelector=stasis.dev/alert=ID}, a WorkflowList):
     * what makes a submission whose answer was lost (a crash, a dropped connection) safe to try again.
     *
     * @return the workflows' names, oldest first as Argo lists them; empty when there is none
     * @throws IOException when the server cannot be asked (then nobody knows, and nothing may be submitted)
     */
    public java.util.List<String> find(String alertId) throws IOException, InterruptedException {
        String selector = java.net.URLEncoder.encode("stasis.dev/alert=" + labelValue(alertId), java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(target.server().resolve("/api/v1/workflows/" + target.namespace()
                        + "?listOptions.labelSelector=" + selector + "&fields=items.metadata.name"))
                .header("Authorization", "Bearer " + target.token().get())
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        HttpResponse<String> rsp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (rsp.statusCode() != 200) throw new IOException("argo: listing workflows answered HTTP " + rsp.statusCode());
        java.util.List<String> names = new java.util.ArrayList<>();
        // an empty list is {"metadata":{...},"items":null} (Go's nil slice)
        for (JsonNode w : JSON.readTree(rsp.body()).path("items")) {
            JsonNode name = w.path("metadata").path("name");
            if (name.isTextual()) names.add(name.asText());
        }
        return names;
    }
}
