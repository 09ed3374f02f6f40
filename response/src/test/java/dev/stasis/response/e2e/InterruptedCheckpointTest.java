package dev.stasis.response.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.evidence.Actor;
import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.EvidenceItem;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.Fixtures;
import dev.stasis.testsupport.GroundTruth;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the engine (the JVM alone: its podman goes on, as it does when
 * the engine's container is OOM-killed or a process is killed by pid) in the
 * middle of a real CRIU checkpoint. Before, the restarted engine checkpointed
 * again under a new name, and the first archive stayed in the export
 * directory, never collected and with no custody record (113 of 122 in the
 * probe). Now the resumed action waits for that podman, adopts its archive,
 * and records that it did: one podman call, one archive, one custody
 * acquisition, nothing left behind.
 */
class InterruptedCheckpointTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aCheckpointInterruptedByKillMinus9IsAdoptedNotRepeated() throws Exception {
        boolean ready = Files.exists(Path.of("/tmp/lab-ready")) && "root".equals(System.getProperty("user.name"));
        GroundTruth.require(ready, "InterruptedCheckpointTest needs root and podman + CRIU (run .ci/lab-setup as root; it writes /tmp/lab-ready)");

        String name = "stasis-kill9-" + UUID.randomUUID().toString().substring(0, 8);
        PodmanEndToEndTest.sh("podman", "--runtime", "runc", "run", "-d", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--name", name,
                "localhost/base:12", "sh", "-c", "head -c 64000000 /dev/urandom > /dev/shm/ballast; exec sleep 600");
        Process first = null, second = null;
        try {
            String fullId = PodmanEndToEndTest.sh("podman", "inspect", "--format", "{{.Id}}", name).strip();
            // the real podman, with each call logged: the ground truth for "how many checkpoints"
            Path calls = dir.resolve("calls.log");
            Path podman = dir.resolve("podman");
            Files.writeString(podman, "#!/bin/sh\necho \"$@\" >> " + calls + "\nexec podman \"$@\"\n");
            Files.setPosixFilePermissions(podman, PosixFilePermissions.fromString("rwx------"));
            Files.writeString(dir.resolve("policy.yaml"), """
                    rules:
                      - name: freeze-c2
                        match: {rule: "Outbound Connection to C2*"}
                        actions: [{checkpoint: {backend: podman, timeout: 120s, leaveRunning: true, compress: zstd}}, collect]
                    """);
            Path config = Files.writeString(dir.resolve("stasis.yaml"), """
                    listen: 127.0.0.1:0
                    auth: {mode: bearer, token: kill9-token-0123456789}
                    policy: policy.yaml
                    stateDir: state
                    vault: vault
                    podman: {command: %s, exportDir: exports}
                    """.formatted(podman));
            ObjectNode alert = (ObjectNode) JSON.readTree(Fixtures.bytes("alerts/sidekick-c2.json"));
            ObjectNode fields = (ObjectNode) alert.get("output_fields");
            fields.put("container.id", fullId.substring(0, 12)).put("container.name", name);
            fields.remove("k8s.ns.name");
            fields.remove("k8s.pod.name");

            first = start(config);
            int port = Integer.parseInt(readyLine(first)[1]);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alerts"))
                    .header("Authorization", "Bearer kill9-token-0123456789").POST(HttpRequest.BodyPublishers.ofString(alert.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(202);
            String id = JSON.readTree(r.body()).path("id").asText();
            CrashRecoveryTest.waitFor(() -> Files.exists(calls));
            Thread.sleep(300); // CRIU is dumping
            boolean podmanRunning = first.descendants().anyMatch(ProcessHandle::isAlive);
            first.destroyForcibly(); // SIGKILL to the JVM only
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

            second = start(config);
            assertThat(readyLine(second)[2]).as("alerts resumed").isEqualTo("1");
            try (Vault vault = Vault.open(VaultConfig.local(dir.resolve("vault")))) {
                CrashRecoveryTest.waitFor(() -> !vault.list().isEmpty() && done(id) != null);
                JsonNode step = step(id, "checkpoint");
                String recovery = step.path("result").path("recovery").asText();
                System.err.println("InterruptedCheckpointTest: podman still running at the kill: " + podmanRunning + "; podman calls: "
                        + Files.readAllLines(calls).size() + "; resumed checkpoint: " + recovery);
                List<EvidenceItem> items = vault.list();
                assertThat(items).as("archives in the vault").hasSize(1);
                String item = items.getFirst().id();
                assertThat(vault.verify(item, new Actor("test", "", ""), "test").ok()).isTrue();
                assertThat(vault.custody().records()).filteredOn(c -> c.action() == CustodyAction.ACQUIRE).singleElement()
                        .satisfies(c -> assertThat(c.item()).isEqualTo(item)).satisfies(c -> assertThat(c.detail()).contains("resumed after a restart"));
                assertThat(vault.custody().verify().ok()).isTrue();
                assertThat(Files.list(dir.resolve("exports")).toList()).as("nothing left in the export directory").isEmpty();
                if (recovery.startsWith("adopted")) {
                    assertThat(Files.readAllLines(calls)).as("podman checkpoint calls").hasSize(1);
                } else {
                    // the first podman died with the engine before its archive was whole: cleaned up, taken once more
                    assertThat(recovery).containsAnyOf("removed", "left no archive");
                    assertThat(Files.readAllLines(calls)).hasSize(2);
                }
            }
        } finally {
            for (Process p : new Process[] {first, second}) {
                if (p == null) continue;
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            new ProcessBuilder("podman", "rm", "-f", "-t", "0", name).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
    }

    private JsonNode done(String id) throws Exception {
        return record(id, "done", null);
    }

    private JsonNode step(String id, String type) throws Exception {
        return record(id, "step", type);
    }

    private JsonNode record(String id, String t, String type) throws Exception {
        for (String line : Files.readAllLines(dir.resolve("state/journal.jsonl"))) {
            if (line.isBlank()) continue;
            JsonNode n = JSON.readTree(line);
            if (n.path("t").asText().equals(t) && n.path("id").asText().equals(id) && (type == null || type.equals(n.path("type").asText()))) return n;
        }
        return null;
    }

    private Process start(Path config) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServeMain.class.getName(), config.toString())
                .redirectError(dir.resolve("engine-" + System.nanoTime() + ".log").toFile()).start();
    }

    private static String[] readyLine(Process p) throws Exception {
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        assertThat(line).as("engine start").isNotNull().startsWith("READY ");
        return line.split(" ");
    }
}
