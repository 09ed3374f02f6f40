package dev.stasis.response.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.evidence.Actor;
import dev.stasis.evidence.CustodyRecord;
import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.StoreRequest;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.Fixtures;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.AlertParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The response's steps in a real vault's signed custody log, in the order an analyst reads them. */
class CustodyRecorderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void collectedCheckpointGetsAcquireDisposeAndLaterSteps() throws Exception {
        try (Vault vault = Vault.open(VaultConfig.local(dir.resolve("vault")))) {
            Actor actor = new Actor("responder", "node-1", "stasis-serve");
            Path archive = Files.write(dir.resolve("checkpoint-web.tar"), "not really a tar, but evidence bytes".getBytes());
            String item = vault.store(StoreRequest.ofFile(archive, Provenance.builder().sourceName("checkpoint-web.tar").build(), actor))
                    .item().id();
            Alert alert = AlertParser.parse(Fixtures.bytes("alerts/sidekick-c2.json"));
            CustodyRecorder r = new CustodyRecorder(vault.custody(), actor);

            ObjectNode cp = JSON.createObjectNode().put("backend", "kubelet").put("node", "node-1")
                    .put("path", "/var/lib/kubelet/checkpoints/checkpoint-web.tar").put("takenAt", "2026-11-29T08:00:00Z");
            r.step("a1", alert, "freeze-c2", "checkpoint", "ok", null, cp);
            r.step("a1", alert, "freeze-c2", "collect", "ok", null,
                    JSON.createObjectNode().put("itemId", item).put("size", 36).put("duplicate", false).put("removed", true));
            r.step("a1", alert, "freeze-c2", "isolate", "ok", null, JSON.createObjectNode().put("networkPolicy", "stasis-isolate-web"));
            r.step("a1", alert, "freeze-c2", "notify", "failed", "HTTP 500 from the webhook", null);
            // an alert that never produced evidence leaves no custody record
            r.step("a2", alert, "freeze-c2", "checkpoint", "failed", "kubelet answered 500", null);
            r.step("a2", alert, "freeze-c2", "label", "ok", null, null);

            List<CustodyRecord> records = vault.custody().records();
            assertThat(records).extracting(c -> c.action().name())
                    .containsExactly("STORE", "ACQUIRE", "DISPOSE_SOURCE", "RESPOND", "RESPOND");
            assertThat(records).allSatisfy(c -> assertThat(c.item()).isEqualTo(item));
            CustodyRecord acquire = records.get(1);
            assertThat(acquire.detail()).contains("backend kubelet", "node node-1", "2026-11-29T08:00:00Z",
                    "/var/lib/kubelet/checkpoints/checkpoint-web.tar");
            assertThat(acquire.reason()).contains(alert.rule(), "a1", "freeze-c2");
            assertThat(records.get(3).detail()).startsWith("isolate").contains("stasis-isolate-web");
            assertThat(records.get(4).outcome()).isEqualTo("failed");
            assertThat(records.get(4).detail()).contains("HTTP 500");
            assertThat(vault.custody().verify().ok()).as("the chain still verifies").isTrue();
        }
    }
}
