package dev.stasis.response.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.evidence.Actor;
import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.TestPki;
import dev.stasis.response.action.ActionException;
import dev.stasis.response.agent.AgentAuth;
import dev.stasis.response.agent.AgentServer;
import dev.stasis.response.agent.CheckpointDirectory;
import dev.stasis.response.agent.NodeCollector;
import dev.stasis.response.alert.Target;
import dev.stasis.response.collect.AgentCollector;
import dev.stasis.response.collect.Collected;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.k8s.Cluster;
import dev.stasis.response.server.Pem;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet backend against a KEP-2008 kubelet and the fabric8 mock API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class KubeletBackendTest {
    static KubernetesClient client;
    static TestPki pki;

    @TempDir
    Path dir;
    FakeKubelet kubelet;
    HttpClient http;
    Path checkpoints;

    @BeforeEach
    void setUp() throws Exception {
        if (pki == null) pki = TestPki.create(Files.createTempDirectory("stasis-pki"));
        checkpoints = Files.createDirectories(dir.resolve("var/lib/kubelet/checkpoints"));
        kubelet = new FakeKubelet(Pem.context(pki.serverCert(), pki.serverKey(), null), checkpoints);
        kubelet.container("notebooks", "jupyter-0", "bot", FakeKubelet.Behaviour.OK);
        kubelet.container("notebooks", "jupyter-0", "broken", FakeKubelet.Behaviour.RUNTIME_FAILS);
        kubelet.container("notebooks", "jupyter-0", "stuck", FakeKubelet.Behaviour.HANG);
        http = HttpClient.newBuilder().sslContext(Pem.context(null, null, pki.caCert())).build();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata()
                .withNewStatus().addNewAddress().withType("Hostname").withAddress("node-1").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress().endStatus().build()).createOr(x -> x.update());
        client.pods().inNamespace("notebooks").resource(new PodBuilder().withNewMetadata().withName("jupyter-0").withNamespace("notebooks")
                .addToLabels("app", "jupyter").endMetadata()
                .withNewSpec().withNodeName("node-1")
                .addNewContainer().withName("bot").withImage("localhost/bot").endContainer()
                .addNewContainer().withName("broken").withImage("x").endContainer()
                .addNewContainer().withName("stuck").withImage("x").endContainer()
                .addNewContainer().withName("ghost").withImage("x").endContainer()
                .endSpec().build()).createOr(x -> x.update());
    }

    @AfterEach
    void tearDown() {
        kubelet.close();
    }

    KubeletBackend backend(String token, KubeletBackend.Mode mode) {
        return new KubeletBackend(new Cluster(client), http, () -> token, mode, kubelet.port(),
                URI.create("https://127.0.0.1:" + kubelet.port()), Duration.ofSeconds(1));
    }

    static CheckpointOptions timeout(int s) {
        return new CheckpointOptions(Duration.ofSeconds(s), true, "none");
    }

    static Target target(String container) {
        // the alert's hostname is not trusted for routing: the pod's node comes from the API
        return new Target("notebooks", "jupyter-0", container, "", "some-other-node");
    }

    @Test
    void checkpointsThroughTheKubeletApi() {
        Checkpoint c = backend(FakeKubelet.GOOD_TOKEN, KubeletBackend.Mode.DIRECT).checkpoint(target("bot"), timeout(30));
        assertThat(c.backend()).isEqualTo("kubelet");
        assertThat(c.node()).isEqualTo("node-1");
        assertThat(c.path()).isEqualTo(checkpoints.resolve("checkpoint-jupyter-0_notebooks-bot-2026-11-29T16:32:00Z.tar").toString());
        assertThat(kubelet.requests()).containsExactly(new FakeKubelet.Request("POST", "/checkpoint/notebooks/jupyter-0/bot", "timeout=30",
                "Bearer " + FakeKubelet.GOOD_TOKEN));
    }

    @Test
    void checkpointsThroughTheApiServerNodeProxy() {
        Checkpoint c = backend(FakeKubelet.GOOD_TOKEN, KubeletBackend.Mode.PROXY).checkpoint(target("bot"), timeout(5));
        assertThat(c.path()).endsWith(".tar");
        assertThat(kubelet.requests().getFirst().path()).isEqualTo("/api/v1/nodes/node-1/proxy/checkpoint/notebooks/jupyter-0/bot");
    }

    @Test
    void kubeletAnswersBecomeClearMessages() {
        KubeletBackend good = backend(FakeKubelet.GOOD_TOKEN, KubeletBackend.Mode.DIRECT);
        assertFails(backend("expired", KubeletBackend.Mode.DIRECT), "bot", "rejected the token (401 Unauthorized)", false);
        assertFails(backend(FakeKubelet.UNPRIVILEGED_TOKEN, KubeletBackend.Mode.DIRECT), "bot", "needs 'create' on 'nodes/checkpoint'", false);
        assertFails(good, "ghost", "answered 404", false);
        assertFails(good, "broken", "failed to checkpoint notebooks/jupyter-0/broken on node node-1 (500)", true);
        assertThatThrownBy(() -> good.checkpoint(target("broken"), timeout(5))).hasMessageContaining("criu not found");
    }

    @Test
    void aKubeletThatNeverAnswersTimesOut() {
        assertFails(backend(FakeKubelet.GOOD_TOKEN, KubeletBackend.Mode.DIRECT), "stuck", "did not answer the checkpoint", true);
    }

    @Test
    void unknownPodOrContainerIsCaughtAtTheApiServer() {
        KubeletBackend b = backend(FakeKubelet.GOOD_TOKEN, KubeletBackend.Mode.DIRECT);
        assertThatThrownBy(() -> b.checkpoint(new Target("notebooks", "gone-0", "bot", "", ""), timeout(5)))
                .isInstanceOf(ActionException.class).hasMessage("pod notebooks/gone-0 not found (deleted already, or wrong namespace)")
                .matches(e -> !((ActionException) e).retryable());
        assertThatThrownBy(() -> b.checkpoint(target("nosuch"), timeout(5))).hasMessage("pod notebooks/jupyter-0 has no container 'nosuch'");
        assertThatThrownBy(() -> b.checkpoint(new Target("", "", "", "abc", ""), timeout(5))).hasMessageContaining("names no Kubernetes container");
        assertThat(kubelet.requests()).isEmpty();
    }

    private void assertFails(KubeletBackend b, String container, String message, boolean retryable) {
        assertThatThrownBy(() -> b.checkpoint(target(container), timeout(1))).isInstanceOf(ActionException.class)
                .hasMessageContaining(message).matches(e -> ((ActionException) e).retryable() == retryable, "retryable=" + retryable);
    }

    @Test
    void labelAnnotateAndIsolateAreIdempotent() {
        Cluster cluster = new Cluster(client);
        for (int i = 0; i < 2; i++) {
            cluster.label("notebooks", "jupyter-0", Map.of("stasis.dev/quarantined", "true"));
            cluster.annotate("notebooks", "jupyter-0", Map.of("stasis.dev/alert-id", "a1"));
            assertThat(cluster.isolate("notebooks", "jupyter-0", null)).startsWith("stasis-isolate-");
        }
        Pod p = client.pods().inNamespace("notebooks").withName("jupyter-0").get();
        assertThat(p.getMetadata().getLabels()).containsEntry("stasis.dev/quarantined", "true").containsEntry("app", "jupyter")
                .containsKey(Cluster.ISOLATE_LABEL);
        assertThat(p.getMetadata().getAnnotations()).containsEntry("stasis.dev/alert-id", "a1");
        var policies = client.network().v1().networkPolicies().inNamespace("notebooks").list().getItems();
        assertThat(policies).hasSize(1);
        NetworkPolicy np = policies.getFirst();
        // deny-all: both directions listed, no rule allowing anything, selecting exactly this pod's label
        assertThat(np.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(np.getSpec().getIngress()).isNullOrEmpty();
        assertThat(np.getSpec().getEgress()).isNullOrEmpty();
        assertThat(np.getSpec().getPodSelector().getMatchLabels())
                .containsExactly(Map.entry(Cluster.ISOLATE_LABEL, p.getMetadata().getLabels().get(Cluster.ISOLATE_LABEL)));
        assertThatThrownBy(() -> cluster.label("notebooks", "gone-0", Map.of("a", "b"))).isInstanceOf(ActionException.class).hasMessageContaining("gone-0");
    }

    @Test
    void theAgentCollectsTheKubeletsArchiveIntoTheVault() throws Exception {
        Path real = Path.of(System.getProperty("stasis.root", "../")).resolve("testdata/checkpoints/benign-web.tar.zst");
        kubelet.onCheckpoint = archive -> Files.copy(real, archive);
        Checkpoint c = backend(FakeKubelet.GOOD_TOKEN, KubeletBackend.Mode.DIRECT).checkpoint(target("bot"), timeout(30));
        try (Vault vault = Vault.open(VaultConfig.local(dir.resolve("vault")));
             AgentServer agent = new AgentServer(new InetSocketAddress("127.0.0.1", 0), null,
                     new NodeCollector(vault, CheckpointDirectory.of(checkpoints), "node-1"),
                     new AgentAuth.StaticToken(() -> "agent-token"), "node-1", JsonLog.SILENT).start()) {
            URI base = URI.create("http://127.0.0.1:" + agent.address().getPort());
            AgentCollector collector = new AgentCollector(HttpClient.newHttpClient(), node -> base, () -> "agent-token", Duration.ofSeconds(30));
            Provenance p = Provenance.builder().namespace("notebooks").pod("jupyter-0").container("bot").node("node-1").runtimePath(c.path())
                    .checkpointTime(Instant.now()).build();
            Collected got = collector.collect(c, p, "test", false);
            assertThat(got.itemId()).isEqualTo(sha256sum(real));
            assertThat(got.size()).isEqualTo(Files.size(real));
            assertThat(got.removed()).isTrue();
            assertThat(Path.of(c.path())).doesNotExist();
            assertThat(vault.verify(got.itemId(), new Actor("test", "", ""), "test").ok()).isTrue();
            // the engine's provenance is recorded as its claim; the agent's own facts are the node and the path
            var stored = vault.item(got.itemId()).manifest().provenance().getLast().source();
            assertThat(stored.node()).isEqualTo("node-1");
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored.alert()).path("claim").path("provenance").path("pod").asText())
                    .isEqualTo("jupyter-0");
            // outside the checkpoint directory, through a link, or already gone: refused, nothing touched
            Path outside = Files.writeString(dir.resolve("secret.txt"), "x");
            Files.createSymbolicLink(checkpoints.resolve("link.tar"), outside);
            for (String path : new String[] {outside.toString(), checkpoints + "/../../../../secret.txt", checkpoints.resolve("link.tar").toString(), c.path()}) {
                assertThatThrownBy(() -> collector.collect(new Checkpoint("kubelet", "node-1", path, Instant.now()), p, "t", false))
                        .isInstanceOf(ActionException.class).hasMessageContaining("(422)");
            }
            assertThat(outside).exists();
            AgentCollector wrongToken = new AgentCollector(HttpClient.newHttpClient(), node -> base, () -> "nope", Duration.ofSeconds(30));
            assertThatThrownBy(() -> wrongToken.collect(c, p, "t", false)).hasMessageContaining("(403)");
        }
    }

    static String sha256sum(Path f) throws Exception {
        Process p = new ProcessBuilder("sha256sum", f.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        return out.split("\\s+")[0];
    }
}
