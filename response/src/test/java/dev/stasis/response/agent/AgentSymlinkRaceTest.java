package dev.stasis.response.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.evidence.Actor;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import dev.stasis.response.engine.JsonLog;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile node: while the engine asks the agent to collect an archive 1,000
 * times, a racer keeps replacing that archive with a symbolic link to a file
 * outside the checkpoint directory and back. The old agent checked the path,
 * then reopened it by name, and stored the outside file now and then.
 */
class AgentSymlinkRaceTest {
    static final String OUTSIDE = "OUTSIDE-SECRET: the node's /etc/shadow stand-in";

    @TempDir
    Path dir;

    @Test
    void aSymlinkSwappedInDuringCollectsNeverGetsAnOutsideFileStored() throws Exception {
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        Path outside = Files.writeString(dir.resolve("outside-secret.txt"), OUTSIDE);
        String outsideSha = AgentTestSupport.sha256sum(outside);
        Path target = checkpoints.resolve("checkpoint-web-0_ns-app-2026-12-04T06:00:00Z.tar");
        Files.writeString(target, "inside -1");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong swaps = new AtomicLong();
        int ok = 0, refused = 0, outsideStored = 0;
        try (Vault vault = Vault.open(VaultConfig.local(dir.resolve("vault")));
             AgentServer agent = new AgentServer(new InetSocketAddress("127.0.0.1", 0), null,
                     new NodeCollector(vault, CheckpointDirectory.of(checkpoints), "node-1"), new AgentAuth.None(), "node-1", JsonLog.SILENT).start()) {
            Thread racer = Thread.ofPlatform().start(() -> {
                for (long i = 0; !stop.get(); i++) {
                    try {
                        Path reg = checkpoints.resolve(".next");
                        Files.writeString(reg, "inside " + i);
                        Files.move(reg, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        Path link = checkpoints.resolve(".link");
                        Files.deleteIfExists(link);
                        Files.createSymbolicLink(link, outside);
                        Files.move(link, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        swaps.incrementAndGet();
                    } catch (Exception e) {
                        // the racer only keeps racing
                    }
                }
            });
            HttpClient http = HttpClient.newHttpClient();
            URI collect = URI.create("http://127.0.0.1:" + agent.address().getPort() + "/collect");
            for (int i = 0; i < 1000; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(collect)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"" + target + "\",\"keepSource\":true}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    ok++;
                    String id = AgentTestSupport.JSON.readTree(r.body()).path("itemId").asText();
                    ByteArrayOutputStream stored = new ByteArrayOutputStream();
                    vault.read(id, stored, new Actor("test", "", ""), "race check", null);
                    if (id.equals(outsideSha) || stored.toString().equals(OUTSIDE)) outsideStored++;
                } else {
                    assertThat(r.statusCode()).isEqualTo(422);
                    // one line, whatever the reason: never tells that the outside file exists
                    assertThat(r.body()).isEqualTo("{\"error\":\"" + CheckpointDirectory.Refused.GENERIC + "\"}");
                    refused++;
                }
            }
            stop.set(true);
            racer.join();
            System.out.printf("symlink race: 1000 collects, %d stored, %d refused, %d outside files stored, %d swaps%n",
                    ok, refused, outsideStored, swaps.get());
            assertThat(outsideStored).isZero();
            assertThat(vault.list()).noneMatch(item -> item.id().equals(outsideSha));
            // the race did not just make every collect fail: the agent still works under it
            assertThat(ok).isPositive();
            assertThat(swaps.get()).isPositive();
            assertThat(Files.readString(outside)).isEqualTo(OUTSIDE);
        }
    }
}
