package dev.stasis.response.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.evidence.Actor;
import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.ProvenanceEntry;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.engine.JsonLog;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signed manifest keeps what the agent saw apart from what the caller said. */
class AgentProvenanceTest {
    @TempDir
    Path dir;

    @Test
    void theCallersProvenanceIsSignedAsItsClaimAndTheFactsAreTheAgentsOwn() throws Exception {
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        Path archive = Files.write(checkpoints.resolve("checkpoint-web-0.tar"), new byte[70_000]);
        String sha = AgentTestSupport.sha256sum(archive);
        String realPath = archive.toRealPath().toString();
        Process stat = new ProcessBuilder("stat", "-c", "%Y", archive.toString()).start();
        long mtime = Long.parseLong(new String(stat.getInputStream().readAllBytes()).strip());
        String falco = "{\"rule\":\"Terminal shell in container\",\"output_fields\":{\"k8s.pod.name\":\"web-0\"}}";
        // a caller that lies: another node, another path, another pod
        String body = AgentTestSupport.JSON.writeValueAsString(java.util.Map.of(
                "path", archive.toString(),
                "reason", "falco rule 'Terminal shell in container'",
                "provenance", Provenance.builder().node("node-9").pod("web-0").namespace("shop").runtimePath("/etc/shadow").alert(falco)
                        .checkpointTime(Instant.parse("2020-01-01T00:00:00Z")).build()));
        Instant before = Instant.now();
        try (Vault vault = Vault.open(VaultConfig.local(dir.resolve("vault")));
             AgentServer agent = new AgentServer(new InetSocketAddress("127.0.0.1", 0), null,
                     new NodeCollector(vault, CheckpointDirectory.of(checkpoints), "node-1"), new AgentAuth.StaticToken(() -> "s".repeat(64)),
                     "node-1", JsonLog.SILENT).start()) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.address().getPort() + "/collect"))
                    .header("Authorization", "Bearer " + "s".repeat(64)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(vault.verify(sha, new Actor("test", "", ""), "test").ok()).isTrue();   // signature over all of it
            ProvenanceEntry e = vault.item(sha).manifest().provenance().getLast();
            Provenance facts = e.source();
            assertThat(facts.node()).isEqualTo("node-1");
            assertThat(facts.runtimePath()).isEqualTo(realPath);
            assertThat(facts.sourceName()).isEqualTo("checkpoint-web-0.tar");
            assertThat(facts.collectedAt()).isBetween(before, Instant.now());
            // nothing the caller said is among the facts
            assertThat(facts.pod()).isNull();
            assertThat(facts.namespace()).isNull();
            assertThat(facts.checkpointTime()).isNull();
            assertThat(e.expectedSha256()).isEqualTo(sha);

            JsonNode doc = AgentTestSupport.JSON.readTree(facts.alert());
            assertThat(doc.path("kind").asText()).isEqualTo(CallerClaim.KIND);
            JsonNode claim = doc.path("claim");
            assertThat(claim.path("claimed_by").asText()).isEqualTo("static-token");
            assertThat(claim.path("reason").asText()).isEqualTo("falco rule 'Terminal shell in container'");
            assertThat(claim.path("provenance").path("node").asText()).isEqualTo("node-9");
            assertThat(claim.path("provenance").path("runtimePath").asText()).isEqualTo("/etc/shadow");
            assertThat(claim.path("provenance").path("alert").asText()).isEqualTo(falco);   // verbatim
            JsonNode seen = doc.path("observed");
            assertThat(seen.path("node").asText()).isEqualTo("node-1");
            assertThat(seen.path("sha256").asText()).isEqualTo(sha);
            assertThat(seen.path("size").asLong()).isEqualTo(70_000);
            assertThat(Instant.parse(seen.path("modified").asText()).getEpochSecond()).isEqualTo(mtime);
            assertThat(e.reason()).contains("claim").contains("static-token");
        }
    }
}
