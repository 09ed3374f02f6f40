package dev.stasis.response.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.evidence.Provenance;
import dev.stasis.response.action.ActionException;
import dev.stasis.response.backend.Checkpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Asks the {@code stasis agent} on the archive's node to collect it
 * ({@code POST /collect}); the agent hashes it there, stores it in the vault
 * and removes the node's copy.
 */
public final class AgentCollector implements Collector {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final HttpClient http;
    private final Function<String, URI> agentFor;
    private final Supplier<String> token;
    private final Duration timeout;

    /**
     * @param agentFor the agent's base URL for a node name (e.g. {@code http://10.0.0.5:10251})
     */
    public AgentCollector(HttpClient http, Function<String, URI> agentFor, Supplier<String> token, Duration timeout) {
        this.http = http;
        this.agentFor = agentFor;
        this.token = token;
        this.timeout = timeout;
    }

    @Override
    public Collected collect(Checkpoint checkpoint, Provenance provenance, String reason, boolean keepSource) {
        URI base = agentFor.apply(checkpoint.node());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", checkpoint.path());
        body.put("provenance", provenance);
        body.put("reason", reason);
        body.put("keepSource", keepSource);
        HttpResponse<String> resp;
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve("/collect")).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            String t = token.get();
            if (t != null && !t.isBlank()) req.header("Authorization", "Bearer " + t.strip());
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ActionException("cannot reach the stasis agent on node " + checkpoint.node() + " at " + base + ": " + e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("interrupted while collecting from " + checkpoint.node(), true);
        }
        JsonNode n;
        try {
            n = JSON.readTree(resp.body());
        } catch (IOException e) {
            n = JSON.createObjectNode();
        }
        if (resp.statusCode() != 200) {
            String err = n.path("error").asText(resp.body());
            throw new ActionException("the stasis agent on node " + checkpoint.node() + " could not collect " + checkpoint.path()
                    + " (" + resp.statusCode() + "): " + err, resp.statusCode() >= 500);
        }
        return new Collected(n.path("itemId").asText(), n.path("size").asLong(), n.path("duplicate").asBoolean(), n.path("removed").asBoolean());
    }
}
