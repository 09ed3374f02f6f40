package dev.stasis.response.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.evidence.Actor;
import dev.stasis.evidence.EvidenceItem;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.Fixtures;
import dev.stasis.response.config.ServeConfig;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.server.ResponseService;
import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain with real parts (shared/docs/lab.md): a running podman
 * container, a Falcosidekick-shaped alert posted to the engine, a real CRIU
 * checkpoint through podman, stored in the vault and checked against
 * podman's own view of the container. Runs when .ci/lab-setup has written
 * /tmp/lab-ready; otherwise it is skipped, loudly.
 */
class PodmanEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFalcoAlertFreezesARealContainerIntoTheVault() throws Exception {
        boolean ready = Files.exists(Path.of("/tmp/lab-ready")) && "root".equals(System.getProperty("user.name"));
        GroundTruth.require(ready, "PodmanEndToEndTest needs root and podman + CRIU (run .ci/lab-setup as root; it writes /tmp/lab-ready)");

        String name = "stasis-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        sh("podman", "--runtime", "runc", "run", "-d", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--name", name,
                "localhost/base:12", "sh", "-c", "echo stasis-e2e-marker > /tmp/marker; exec sleep 600");
        try {
            String fullId = sh("podman", "inspect", "--format", "{{.Id}}", name).strip();
            Files.writeString(dir.resolve("policy.yaml"), """
                    cooldown: 10m
                    rules:
                      - name: freeze-c2
                        match: {rule: "Outbound Connection to C2*", priority: Critical, tags: [mitre_command_and_control]}
                        actions:
                          - checkpoint: {backend: podman, timeout: 120s, leaveRunning: true, compress: zstd}
                          - collect
                    """);
            Files.writeString(dir.resolve("stasis.yaml"), """
                    listen: 127.0.0.1:0
                    auth: {mode: bearer, token: e2e-token}
                    policy: policy.yaml
                    stateDir: state
                    vault: vault
                    podman: {exportDir: exports}
                    """);
            // Falco names the container by its 12-digit short id, as in a real alert
            ObjectNode alert = (ObjectNode) JSON.readTree(Fixtures.bytes("alerts/sidekick-c2.json"));
            ObjectNode fields = (ObjectNode) alert.get("output_fields");
            fields.put("container.id", fullId.substring(0, 12)).put("container.name", name);
            fields.remove("k8s.ns.name");
            fields.remove("k8s.pod.name");
            alert.put("hostname", sh("hostname").strip());
            String itemId;
            try (ResponseService svc = ResponseService.start(ServeConfig.load(dir.resolve("stasis.yaml")), new JsonLog(System.err), null)) {
                URI uri = URI.create("http://127.0.0.1:" + svc.server().address().getPort() + "/alerts");
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 5; i++) { // a small storm: one checkpoint
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer e2e-token")
                            .POST(HttpRequest.BodyPublishers.ofString(alert.toString())).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(202);
                    assertThat(JSON.readTree(r.body()).path("outcome").asText()).isEqualTo(i == 0 ? "queued" : "deduplicated");
                }
                long end = System.nanoTime() + 180_000_000_000L;
                while (svc.vault().list().isEmpty() && System.nanoTime() < end) Thread.sleep(200);
                List<EvidenceItem> items = svc.vault().list();
                assertThat(items).as("a checkpoint in the vault (engine log above)").hasSize(1);
                itemId = items.getFirst().id();
                assertThat(svc.vault().verify(itemId, new Actor("e2e", "", ""), "e2e").ok()).isTrue();
                var prov = items.getFirst().manifest().provenance().getFirst().source();
                assertThat(prov.containerId()).isEqualTo(fullId.substring(0, 12));
                assertThat(prov.alert()).contains("Outbound Connection to C2 Servers");
                // checked by independent tools: sha256sum of the stored bytes, tar's listing, podman's id
                Path out = dir.resolve("out.tar.zst");
                svc.vault().get(itemId, out, new Actor("e2e", "", ""), "e2e", null);
                assertThat(sh("sha256sum", out.toString()).split("\\s+")[0]).isEqualTo(itemId);
                String listing = sh("tar", "--zstd", "-tf", out.toString());
                assertThat(listing).contains("config.dump", "spec.dump", "checkpoint/inventory.img", "checkpoint/pstree.img");
                String config = sh("sh", "-c", "tar --zstd -xOf " + out + " config.dump");
                assertThat(config).contains(fullId);
                assertThat(Files.list(dir.resolve("exports")).toList()).as("the export is removed once in the vault").isEmpty();
                // the signed custody log follows the item from the node: stored, acquired by the engine, node copy removed
                var custody = svc.vault().custody();
                assertThat(custody.records()).filteredOn(r -> itemId.equals(r.item())).extracting(r -> r.action().name())
                        .containsSubsequence("STORE", "ACQUIRE", "DISPOSE_SOURCE");
                assertThat(custody.records()).filteredOn(r -> r.action() == dev.stasis.evidence.CustodyAction.ACQUIRE)
                        .singleElement().satisfies(r -> assertThat(r.detail()).contains("backend podman", "runtime path"));
                assertThat(custody.verify().ok()).as("custody chain verifies").isTrue();
                // the case database has the alert's case, with the item as evidence and a note per step
                try (var cases = dev.stasis.evidence.cases.CaseStore.open(dev.stasis.evidence.cases.CaseStore.sqlite(svc.vault().config().caseDatabase()))) {
                    var all = cases.list();
                    assertThat(all).hasSize(1);
                    var detail = cases.show(all.getFirst().name());
                    assertThat(detail.evidence()).extracting(l -> l.itemId()).containsExactly(itemId);
                    assertThat(detail.notes()).extracting(n -> n.body()).anyMatch(b -> b.contains("checkpoint ok")).anyMatch(b -> b.contains("collect ok"));
                }
            }
            assertThat(sh("podman", "inspect", "--format", "{{.State.Running}}", name).strip()).as("left running").isEqualTo("true");
            System.err.println("PodmanEndToEndTest: container " + name + " (" + fullId.substring(0, 12) + ") checkpointed into vault item " + itemId);
        } finally {
            new ProcessBuilder("podman", "rm", "-f", "-t", "0", name).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
