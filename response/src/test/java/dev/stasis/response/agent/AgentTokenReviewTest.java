package dev.stasis.response.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.TestPki;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.server.Pem;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-node credentials: the engine presents its projected service-account token
 * (audience {@code stasis-agent}); the agent asks the API server (TokenReview) whose
 * it is. The API server here is fabric8's mock answering
 * {@code POST /apis/authentication.k8s.io/v1/tokenreviews} as the TokenReview API
 * documents: {@code status.authenticated}, {@code status.user.username},
 * {@code status.audiences} (the requested audiences the token is valid for), and
 * {@code authenticated: false} with {@code error} otherwise.
 */
@EnableKubernetesMockClient
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
class AgentTokenReviewTest {
    static KubernetesMockServer server;
    static KubernetesClient client;
    static TestPki pki;

    static final String ENGINE = "system:serviceaccount:stasis:stasis-engine";
    /** token -> (username, audiences the token was issued for) */
    static final Map<String, Map.Entry<String, List<String>>> TOKENS = Map.of(
            "engine-token", Map.entry(ENGINE, List.of("stasis-agent")),
            "other-sa-token", Map.entry("system:serviceaccount:default:default", List.of("stasis-agent")),
            "engine-api-token", Map.entry(ENGINE, List.of("https://kubernetes.default.svc.cluster.local")));

    final List<JsonNode> reviews = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        if (pki == null) pki = TestPki.create(Files.createTempDirectory("stasis-agent-pki"));
        server.clearExpectations();
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, this::review).always();
    }

    /** The API server's side of TokenReview (authentication.k8s.io/v1). */
    private Object review(RecordedRequest req) {
        JsonNode in;
        try {
            in = AgentTestSupport.JSON.readTree(req.getUtf8Body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        synchronized (reviews) {
            reviews.add(in);
        }
        ObjectNode out = AgentTestSupport.JSON.createObjectNode();
        out.put("kind", "TokenReview").put("apiVersion", "authentication.k8s.io/v1");
        out.putObject("metadata").putNull("creationTimestamp");
        out.set("spec", in.get("spec"));
        ObjectNode status = out.putObject("status");
        var known = TOKENS.get(in.path("spec").path("token").asText());
        List<String> asked = new ArrayList<>();
        in.path("spec").path("audiences").forEach(a -> asked.add(a.asText()));
        List<String> valid = known == null ? List.of() : known.getValue().stream().filter(asked::contains).toList();
        if (known == null || valid.isEmpty()) {
            status.put("authenticated", false);
            status.putObject("user");
            status.put("error", known == null ? "[invalid bearer token, token lookup failed]" : "token audiences " + known.getValue() + " is invalid for the target audiences " + asked);
            return out.toString();
        }
        status.put("authenticated", true);
        ObjectNode user = status.putObject("user");
        user.put("username", known.getKey()).put("uid", "6f1e2b3c");
        user.putArray("groups").add("system:serviceaccounts").add("system:authenticated");
        user.putObject("extra").putArray("authentication.kubernetes.io/pod-name").add("stasis-engine-7d9f");
        var aud = status.putArray("audiences");
        valid.forEach(aud::add);
        return out.toString();
    }

    @Test
    void onlyTheEnginesServiceAccountTokenForTheAgentsAudienceIsAccepted() throws Exception {
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        AgentAuth auth = new AgentAuth.TokenReviewer(client, "stasis-agent", Set.of(ENGINE), Duration.ofMinutes(1), Clock.systemUTC());
        try (Vault vault = Vault.open(VaultConfig.local(dir.resolve("vault")));
             AgentServer agent = new AgentServer(new InetSocketAddress("127.0.0.1", 0), AgentTls.pem(pki.serverCert(), pki.serverKey()),
                     new NodeCollector(vault, CheckpointDirectory.of(checkpoints), "node-1"), auth, "node-1", JsonLog.SILENT).start()) {
            HttpClient https = HttpClient.newBuilder().sslContext(Pem.context(null, null, pki.caCert())).build();
            URI collect = URI.create("https://127.0.0.1:" + agent.address().getPort() + "/collect");

            assertThat(post(https, collect, null, "x").statusCode()).isEqualTo(401);
            assertThat(post(https, collect, "not-a-token", "x").statusCode()).isEqualTo(401);
            assertThat(post(https, collect, "engine-api-token", "x").statusCode()).as("the engine's API token, wrong audience").isEqualTo(401);
            assertThat(post(https, collect, "other-sa-token", "x").statusCode()).as("another service account").isEqualTo(403);
            assertThat(reviews).hasSize(3);   // the missing token never reached the API server
            for (JsonNode r : reviews) {
                assertThat(r.path("apiVersion").asText()).isEqualTo("authentication.k8s.io/v1");
                assertThat(r.path("kind").asText()).isEqualTo("TokenReview");
                assertThat(r.path("spec").path("audiences")).hasSize(1);
                assertThat(r.path("spec").path("audiences").get(0).asText()).isEqualTo("stasis-agent");
            }

            Files.writeString(checkpoints.resolve("checkpoint-1.tar"), "one");
            Files.writeString(checkpoints.resolve("checkpoint-2.tar"), "two");
            HttpResponse<String> ok = post(https, collect, "engine-token", "checkpoint-1.tar");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(post(https, collect, "engine-token", "checkpoint-2.tar").statusCode()).isEqualTo(200);
            assertThat(reviews).as("a positive review is cached for a minute").hasSize(4);
            // the caller's identity, as the API server named it, is what the claim is attributed to
            String id = AgentTestSupport.JSON.readTree(ok.body()).path("itemId").asText();
            JsonNode doc = AgentTestSupport.JSON.readTree(vault.item(id).manifest().provenance().getLast().source().alert());
            assertThat(doc.path("claim").path("claimed_by").asText()).isEqualTo(ENGINE);
        }
    }

    @Test
    void anUnreachableApiServerIsA503NotAnAcceptance() throws Exception {
        server.clearExpectations();
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReturn(500, "{}").always();
        // without the client's retries (the agent's own client retries once; a test need not wait for backoff)
        try (KubernetesClient once = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build()) {
            AgentAuth auth = new AgentAuth.TokenReviewer(once, "stasis-agent", Set.of(ENGINE), Duration.ofMinutes(1), Clock.systemUTC());
            assertThat(auth.check("Bearer engine-token")).isInstanceOfSatisfying(AgentAuth.Refused.class, r -> assertThat(r.status()).isEqualTo(503));
        }
    }

    static HttpResponse<String> post(HttpClient http, URI uri, String token, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(AgentTestSupport.JSON.createObjectNode().put("path", path).toString()));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
