package dev.stasis.cli.checkpoint;

import static dev.stasis.cli.CliTesting.checkpoint;
import static dev.stasis.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.cli.CliTesting.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code stasis inspect --all --format json} keeps checkpointctl's keys and shapes (internal/json.go's
 * DisplayNode), and the commands fail with one line on bad input.
 */
class InspectCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar.zst", "irc-bot.tar", "fileless-miner.tar.gz", "benign-web.tar.zst"})
    void jsonHasCheckpointctlsKeys(String archive) throws Exception {
        Run r = run("inspect", "--all", "--format", "json", checkpoint(archive).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.isArray()).isTrue();
        JsonNode c = root.get(0);
        for (String k : List.of("container_name", "image", "id", "runtime", "created", "checkpointed", "engine", "ip", "mac",
                "networks", "checkpoint_size", "statistics", "metadata", "process_tree", "file_descriptors", "sockets", "mounts")) {
            assertThat(c.has(k)).as(k).isTrue();
        }
        assertThat(c.get("engine").asText()).isEqualTo("Podman");
        assertThat(c.get("checkpoint_size").get("total_size").isIntegralNumber()).isTrue();
        assertThat(c.get("metadata").get("pod_name").isTextual()).isTrue();
        assertThat(c.get("metadata").get("kubernetes_namespace").isTextual()).isTrue();
        assertThat(c.get("metadata").get("annotations").isObject()).isTrue();
        JsonNode ps = c.get("process_tree");
        assertThat(ps.get("pid").asInt()).isEqualTo(1);
        for (String k : List.of("command", "cmdline", "task_state")) assertThat(ps.has(k)).as(k).isTrue();
        assertThat(ps.get("children").isArray()).isTrue();
        JsonNode fd = c.get("file_descriptors").get(0);
        assertThat(fd.get("pid").isInt()).isTrue();
        assertThat(fd.get("open_files").get(0).fieldNames()).toIterable().contains("type", "fd", "path");
        assertThat(c.get("mounts").get(0).fieldNames()).toIterable().contains("destination", "type", "source");
        JsonNode sk = c.get("sockets").get(0).get("open_sockets").get(0);
        assertThat(sk.get("protocol").asText()).isEqualTo("TCP");
        assertThat(sk.get("data").fieldNames()).toIterable().contains("type", "state", "src", "src_port", "send_buf", "recv_buf");
    }

    @Test
    void ircBotC2ConnectionAndDroppedScriptAreInTheJson() throws Exception {
        Run r = run("inspect", "--all", "--format", "json", checkpoint("irc-bot.tar.zst").toString());
        JsonNode c = new ObjectMapper().readTree(r.out()).get(0);
        boolean c2 = false;
        for (JsonNode p : c.get("sockets")) {
            for (JsonNode s : p.get("open_sockets")) {
                JsonNode d = s.get("data");
                if (d.path("dst").asText().equals("10.88.0.1") && d.path("dst_port").asInt() == 6667) c2 = true;
            }
        }
        assertThat(c2).isTrue();
        assertThat(c.get("rootfs_diff").toString()).contains("/tmp/perlbot.pl");
    }

    @Test
    void treeViewPrintsTheProcessTree() {
        Run r = run("inspect", "--ps-tree-cmd", checkpoint("benign-web.tar.zst").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("busybox httpd -f -p 8080 -h /var/www").contains("Process tree");
    }

    @Test
    void badInputIsOneLineAndNonZero(@TempDir Path tmp) throws Exception {
        Path text = tmp.resolve("junk.tar");
        Files.writeString(text, "not a checkpoint at all");
        Path binary = tmp.resolve("junk.bin");
        Files.write(binary, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
        for (String cmd : List.of("inspect", "show")) {
            Run r = run(cmd, text.toString());
            assertThat(r.exit()).isNotZero();
            assertThat(r.err().strip()).isEqualTo("stasis: " + text + " is a text file, not a checkpoint archive");
            Run b = run(cmd, binary.toString());
            assertThat(b.exit()).isNotZero();
            assertThat(b.err().strip()).startsWith("stasis: ").contains("unknown magic 7f454c46").doesNotContain("\n").doesNotContain("Exception");
        }
        Run missing = run("inspect", tmp.resolve("nope.tar").toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err().strip()).startsWith("stasis: ").doesNotContain("\n");
    }

    @Test
    void extractWritesOnlyIntoTheOutputDirectory(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Run r = run("extract", checkpoint("fileless-miner.tar.gz").toString(), "/memfd:kworkerds", "-o", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        try (var s = Files.walk(tmp)) {
            assertThat(s.filter(Files::isRegularFile).toList()).singleElement()
                    .satisfies(f -> assertThat(f.startsWith(out)).isTrue());
        }
    }

    @Test
    void showPrintsOneLinePerArchive() {
        Run r = run("show", checkpoint("irc-bot.tar").toString(), checkpoint("benign-web.tar.zst").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).hasSize(3);
    }

    /** A glob that also matches the transcripts beside the archives: each named once, the archives still shown. */
    @Test
    void showNamesEachFileThatIsNoArchiveOnceAndShowsTheRest() {
        String log = checkpoint("irc-bot.tar.c2.log").toString();
        Run r = run("show", checkpoint("irc-bot.tar").toString(), log);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.err()).startsWith("stasis: " + log + " is a text file, not a checkpoint archive").hasLineCount(1)
                .doesNotContain("irc-bot.tar.c2.log: irc-bot.tar.c2.log");
    }
}
