package dev.stasis.response.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.evidence.Actor;
import dev.stasis.evidence.EvidenceItem;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.Fixtures;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the engine between accepting an alert (202) and finishing its
 * actions: the next engine finds it in the journal and completes it; no
 * alert is lost and none is checkpointed twice.
 */
class CrashRecoveryTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anAcceptedAlertSurvivesKillMinus9() throws Exception {
        // a "podman" whose checkpoint hangs while the file 'hang' exists (a long CRIU dump),
        // and otherwise writes the --export archive; every call is logged
        Path calls = dir.resolve("calls.log");
        Path hang = Files.writeString(dir.resolve("hang"), "");
        Path podman = dir.resolve("podman");
        Files.writeString(podman, """
                #!/bin/sh
                echo "$@" >> %s
                while [ -e %s ]; do sleep 0.1; done
                for a in "$@"; do case "$a" in --export=*) printf 'archive of %%s\\n' "$*" > "${a#--export=}";; esac; done
                """.formatted(calls, hang));
        Files.setPosixFilePermissions(podman, PosixFilePermissions.fromString("rwx------"));
        Path config = dir.resolve("stasis.yaml");
        Files.writeString(config, """
                listen: 127.0.0.1:0
                auth: {mode: bearer, token: crash-test}
                policy: policy.yaml
                stateDir: state
                vault: vault
                retry: {maxAttempts: 3, base: 100ms}
                podman: {command: %s, exportDir: exports}
                """.formatted(podman));
        Files.writeString(dir.resolve("policy.yaml"), """
                rules:
                  - name: freeze
                    match: {rule: "Outbound Connection to C2*"}
                    actions: [{checkpoint: {backend: podman}}, collect]
                """);

        Process first = start(config);
        try {
            crashAndRecover(first, config, calls, hang);
        } finally {
            first.descendants().forEach(ProcessHandle::destroyForcibly);
            first.destroyForcibly();
        }
    }

    private void crashAndRecover(Process first, Path config, Path calls, Path hang) throws Exception {
        int port = readyPort(first);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alerts"))
                .header("Authorization", "Bearer crash-test").POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("alerts/sidekick-c2.json")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
        String id = JSON.readTree(r.body()).path("id").asText();
        waitFor(() -> Files.exists(calls));   // the checkpoint is under way...
        // ...when the engine dies (SIGKILL), with its children, as in a pod or a systemd unit where the
        // whole group goes; a podman left running would finish its archive after the engine is gone
        first.descendants().forEach(ProcessHandle::destroyForcibly);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.delete(hang);

        Process second = start(config);
        try {
            String[] ready = readyLine(second);
            assertThat(ready[2]).as("alerts resumed from the journal").isEqualTo("1");
            try (Vault vault = Vault.open(VaultConfig.local(dir.resolve("vault")))) {
                waitFor(() -> !vault.list().isEmpty() && journalDone(id));
                List<EvidenceItem> items = vault.list();
                assertThat(items).hasSize(1);
                EvidenceItem item = items.getFirst();
                assertThat(vault.verify(item.id(), new Actor("test", "", ""), "test").ok()).isTrue();
                var prov = item.manifest().provenance().getFirst().source();
                assertThat(prov.pod()).isEqualTo("jupyter-0");
                assertThat(prov.alert()).contains("\"uuid\":\"7c0b9a1e-3c5e-4a55-9b8f-3f1f6a1d2c11\"");
                assertThat(vault.custody().verify().ok()).isTrue();
            }
            // the killed run's attempt and the resumed one: the alert was checkpointed, not lost, not duplicated
            List<String> lines = Files.readAllLines(calls);
            assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("container checkpoint --tcp-established --export=")
                    .endsWith("--leave-running -- 3ad4f9c1b2e7"));
            assertThat(Files.list(dir.resolve("exports")).toList()).as("the node's copy is removed after collection").isEmpty();
        } finally {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private boolean journalDone(String id) throws Exception {
        for (String line : Files.readAllLines(dir.resolve("state/journal.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.path("t").asText().equals("done") && n.path("id").asText().equals(id)) {
                assertThat(n.path("outcome").asText()).isEqualTo("ok");
                return true;
            }
        }
        return false;
    }

    private Process start(Path config) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServeMain.class.getName(), config.toString())
                .redirectError(dir.resolve("engine-" + System.nanoTime() + ".log").toFile()).start();
    }

    private static int readyPort(Process p) throws Exception {
        return Integer.parseInt(readyLine(p)[1]);
    }

    private static String[] readyLine(Process p) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line = in.readLine();
        assertThat(line).as("engine start").isNotNull().startsWith("READY ");
        return line.split(" ");
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check c) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not reached within 60 s");
            Thread.sleep(50);
        }
    }
}
