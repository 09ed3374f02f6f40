package dev.stasis.response.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which paths the agent collects, and what a caller learns when it refuses. */
class AgentPathTest {
    @TempDir
    Path dir;

    @Test
    void onlyRegularFilesDirectlyInTheDirectoryAreCollectedAndEveryRefusalReadsTheSame() throws Exception {
        Path checkpoints = Files.createDirectories(dir.resolve("var/lib/kubelet/checkpoints"));
        Path good = Files.writeString(checkpoints.resolve("checkpoint-a.tar"), "archive a");
        Files.writeString(checkpoints.resolve("checkpoint-b.tar"), "archive b");
        Path outside = Files.writeString(dir.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(checkpoints.resolve("link.tar"), outside);
        Files.createSymbolicLink(checkpoints.resolve("dirlink"), dir);
        Files.createLink(checkpoints.resolve("hardlink.tar"), outside);
        Files.createDirectories(checkpoints.resolve("sub"));
        Files.writeString(checkpoints.resolve("sub/nested.tar"), "nested");
        AgentTestSupport.run(checkpoints, "mkfifo", "fifo.tar");
        // a file that exists only in the agent's working directory: a relative name must not find it
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(cwd.resolve("pom.xml")).exists();

        try (Vault vault = Vault.open(VaultConfig.local(dir.resolve("vault")));
             AgentServer agent = new AgentServer(new InetSocketAddress("127.0.0.1", 0), null,
                     new NodeCollector(vault, CheckpointDirectory.of(checkpoints), "node-1"), new AgentAuth.None(), "node-1", JsonLog.SILENT).start()) {
            HttpClient http = HttpClient.newHttpClient();
            URI collect = URI.create("http://127.0.0.1:" + agent.address().getPort() + "/collect");
            List<String> refusedPaths = List.of(
                    outside.toString(),                                   // exists, outside
                    dir.resolve("no-such-file").toString(),               // does not exist, outside
                    checkpoints + "/../../../../../secret.txt",           // traversal to an existing file
                    checkpoints + "/../../../../../nothing-here",         // traversal to nothing
                    checkpoints.resolve("link.tar").toString(),           // symlink to an outside file
                    checkpoints + "/dirlink/secret.txt",                  // through a linked directory
                    checkpoints.resolve("hardlink.tar").toString(),       // a second name for an outside file
                    checkpoints.resolve("sub/nested.tar").toString(),     // not directly inside
                    checkpoints.resolve("sub").toString(),                // a directory
                    checkpoints.resolve("fifo.tar").toString(),           // a FIFO (would block a plain open)
                    checkpoints.resolve("missing.tar").toString(),        // gone already
                    "pom.xml", "./pom.xml", "../pom.xml", "sub/nested.tar", ".", "..", checkpoints + "/.");
            Set<String> bodies = new LinkedHashSet<>();
            List<Integer> codes = new ArrayList<>();
            for (String p : refusedPaths) {
                HttpResponse<String> r = post(http, collect, p);
                codes.add(r.statusCode());
                bodies.add(r.body());
            }
            assertThat(codes).as("status per refused path").containsOnly(422);
            assertThat(bodies).as("one generic line for every refusal").containsExactly("{\"error\":\"" + CheckpointDirectory.Refused.GENERIC + "\"}");
            assertThat(outside).hasContent("outside");
            assertThat(checkpoints.resolve("link.tar")).isSymbolicLink();
            assertThat(checkpoints.resolve("hardlink.tar")).exists();

            // the kubelet's full path, and a bare name (resolved in the checkpoint directory, not the working one)
            HttpResponse<String> a = post(http, collect, good.toString());
            assertThat(a.statusCode()).isEqualTo(200);
            assertThat(AgentTestSupport.JSON.readTree(a.body()).path("removed").asBoolean()).isTrue();
            assertThat(good).doesNotExist();
            HttpResponse<String> b = post(http, collect, "checkpoint-b.tar");
            assertThat(b.statusCode()).isEqualTo(200);
            assertThat(AgentTestSupport.JSON.readTree(b.body()).path("itemId").asText())
                    .isEqualTo(sha("archive b"));
        }
    }

    @Test
    void theDirectoryMustBeAbsoluteAndExist() {
        assertThatThrownBy(() -> CheckpointDirectory.of(Path.of("checkpoints"))).hasMessageContaining("absolute");
        assertThatThrownBy(() -> CheckpointDirectory.of(dir.resolve("nope"))).hasMessageContaining("does not exist");
    }

    @Test
    void anInternalErrorIsAnsweredWithA500NotAnEmptyReply() throws Exception {
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(checkpoints.resolve("checkpoint-a.tar"), "a");
        // no vault: storing fails with a NullPointerException, the kind of bug a 500 is for
        try (AgentServer agent = new AgentServer(new InetSocketAddress("127.0.0.1", 0), null,
                new NodeCollector(null, CheckpointDirectory.of(checkpoints), "node-1"), new AgentAuth.None(), "node-1", JsonLog.SILENT).start()) {
            HttpResponse<String> r = post(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + agent.address().getPort() + "/collect"), "checkpoint-a.tar");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("{\"error\":\"internal error\"}");
        }
        assertThat(checkpoints.resolve("checkpoint-a.tar")).exists();
    }

    @Test
    void plainHttpIsRefusedOffLoopback() {
        assertThatThrownBy(() -> new AgentServer(new InetSocketAddress("0.0.0.0", 0), null, null, new AgentAuth.None(), "n", JsonLog.SILENT))
                .hasMessageContaining("loopback");
    }

    static HttpResponse<String> post(HttpClient http, URI uri, String path) throws Exception {
        String body = AgentTestSupport.JSON.createObjectNode().put("path", path).toString();
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String sha(String s) throws Exception {
        Path f = Files.createTempFile("sha", ".txt");
        try {
            Files.writeString(f, s);
            return AgentTestSupport.sha256sum(f);
        } finally {
            Files.delete(f);
        }
    }
}
