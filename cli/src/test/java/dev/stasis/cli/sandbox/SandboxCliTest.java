package dev.stasis.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.cli.CliTesting;
import dev.stasis.cli.CliTesting.Run;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stasis sandbox image|manifest} through picocli as Main wires them. */
class SandboxCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void vaultItemIsHashCheckedAndTheImageGoesIntoTheCustodyLog() throws Exception {
        Path archive = CliTesting.checkpoint("irc-bot.tar.zst");
        String vault = dir.resolve("vault").toString();
        Run add = CliTesting.run("evidence", "--vault", vault, "add", archive.toString(), "--format", "json", "-q");
        assertThat(add.exit()).as(add.err()).isZero();
        String id = JSON.readTree(add.out()).path("id").asText();
        assertThat(id).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive))));

        Path out = dir.resolve("image");
        Run image = CliTesting.run("sandbox", "image", id.substring(0, 12), "--vault", vault, "--oci-dir", out.toString(),
                "--reason", "INC-7 sandbox", "--format", "json");
        assertThat(image.exit()).as(image.err()).isZero();
        JsonNode r = JSON.readTree(image.out());
        String manifest = r.path("manifest_digest").asText();
        assertThat(r.path("source").path("vault_item").asText()).isEqualTo(id);
        assertThat(r.path("annotations").path("dev.stasis.checkpoint.source.sha256").asText()).isEqualTo(id);
        assertThat(r.path("annotations").path("io.kubernetes.cri-o.annotations.checkpoint.name").asText()).isEqualTo("notebook");
        assertThat(r.path("destination").asText()).isEqualTo("oci:" + out + ":latest");
        // the layout's index names the manifest the command reported
        JsonNode index = JSON.readTree(out.resolve("index.json").toFile());
        assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(manifest);

        JsonNode log = JSON.readTree(CliTesting.run("evidence", "--vault", vault, "log", "--format", "json").out()).path("records");
        JsonNode last = log.get(log.size() - 1);
        assertThat(last.path("action").asText()).isEqualTo("EXPORT");
        assertThat(last.path("item").asText()).isEqualTo(id);
        assertThat(last.path("reason").asText()).isEqualTo("INC-7 sandbox");
        assertThat(last.path("detail").asText()).contains(manifest).contains("oci:" + out);
        assertThat(log).extracting(n -> n.path("action").asText()).contains("READ");
        assertThat(CliTesting.run("evidence", "--vault", vault, "log", "--verify").exit()).isZero();

        // without --reason the custody record names the command that read the item
        Run manifestRun = CliTesting.run("sandbox", "manifest", id.substring(0, 12), "--vault", vault, "--image", "reg.example/ckpt:1");
        assertThat(manifestRun.exit()).as(manifestRun.err()).isZero();
        JsonNode after = JSON.readTree(CliTesting.run("evidence", "--vault", vault, "log", "--format", "json").out()).path("records");
        JsonNode read = after.get(after.size() - 1);
        assertThat(read.path("action").asText()).isEqualTo("READ");
        assertThat(read.path("reason").asText()).isEqualTo("stasis sandbox manifest");

        // a tampered item is refused on the way in: one line, exit 1, no image
        Path object = dir.resolve("vault/objects").resolve(id.substring(0, 2)).resolve(id);
        try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
            f.seek(1000);
            int b = f.read();
            f.seek(1000);
            f.write(b ^ 0xff);
        }
        Path out2 = dir.resolve("image2");
        Run bad = CliTesting.run("sandbox", "image", id, "--vault", vault, "--oci-dir", out2.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().lines().toList()).hasSize(1).allMatch(l -> l.startsWith("stasis: "));
        assertThat(out2).doesNotExist();
    }

    @Test
    void badInputIsOneLineAndLeavesNothing() throws Exception {
        Path out = dir.resolve("out.tar");
        Run missing = CliTesting.run("sandbox", "image", dir.resolve("nope.tar").toString(), "--oci-archive", out.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("stasis: no such file").doesNotContain("\n");

        Files.writeString(dir.resolve("a.txt"), "x");
        new ProcessBuilder("tar", "cf", dir.resolve("plain.tar").toString(), "-C", dir.toString(), "a.txt").start().waitFor();
        Run plain = CliTesting.run("sandbox", "image", dir.resolve("plain.tar").toString(), "--oci-archive", out.toString());
        assertThat(plain.exit()).isEqualTo(1);
        assertThat(plain.err().strip()).contains("not a container checkpoint").doesNotContain("\n");

        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run unreachable = CliTesting.run("sandbox", "image", CliTesting.checkpoint("irc-bot.tar").toString(),
                "--push", "127.0.0.1:" + port + "/a/b:c", "--tls-verify=false");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err().strip()).isEqualTo("stasis: cannot reach registry 127.0.0.1:" + port + " (connection refused)");

        Run two = CliTesting.run("sandbox", "image", "x.tar", "--oci-dir", "a", "--push", "r/x:y");
        assertThat(two.exit()).isEqualTo(2);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("a.txt", "plain.tar");
        }
    }

    @Test
    void manifestPrintsYamlAndJson() throws Exception {
        String archive = CliTesting.checkpoint("irc-bot.tar").toString();
        Run yaml = CliTesting.run("sandbox", "manifest", archive, "--image", "reg.example/ckpt:1", "--node-pool", "pool=dfir", "--deadline", "30m");
        assertThat(yaml.exit()).as(yaml.err()).isZero();
        assertThat(yaml.out()).containsPattern("kind: \"?NetworkPolicy\"?\n").contains("activeDeadlineSeconds: 1800")
                .contains("# What will not come back:");
        Run json = CliTesting.run("sandbox", "manifest", archive, "--image", "reg.example/ckpt:1", "--format", "json");
        JsonNode j = JSON.readTree(json.out());
        assertThat(j.path("objects")).extracting(o -> o.path("kind").asText()).containsExactly("Namespace", "ConfigMap", "NetworkPolicy", "Pod");
        assertThat(j.path("caveats").size()).isPositive();
        Run bad = CliTesting.run("sandbox", "manifest", archive, "--image", "x", "--node-pool", "nolabel");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("stasis: --node-pool wants LABEL=VALUE, not nolabel");
        for (String cmd : new String[] {"image", "manifest", "run"}) {
            Run help = CliTesting.run("sandbox", cmd, "--help");
            assertThat(help.exit()).isZero();
            // one input, one --reason and one vault block, from SandboxSource
            assertThat(help.out()).contains("ARCHIVE|VAULT-ITEM-ID", "checkpoint archive or directory, or a vault item id (prefix)",
                    "--reason=TEXT", "why (custody log; default: \"stasis sandbox " + cmd + "\")", "--vault=DIR");
        }
    }
}
