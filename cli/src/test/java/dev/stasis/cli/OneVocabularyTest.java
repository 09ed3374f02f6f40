package dev.stasis.cli;

import static dev.stasis.cli.CliTesting.checkpoint;
import static dev.stasis.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.cli.CliTesting.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One thing, one name, in every command: secrets masked as analyze masks them, sizes in KiB, the
 * container's own name, MISSING pages counted one way, provenance from the archive. The expected
 * values are read here from the archives' config.dump and spec.dump (Podman's own files).
 */
class OneVocabularyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An archive member (config.dump, spec.dump) as JSON, read with commons-compress. */
    static JsonNode member(String archive, String name) throws IOException {
        Path p = checkpoint(archive);
        try (InputStream raw = Files.newInputStream(p);
             InputStream un = archive.endsWith(".gz") ? new GzipCompressorInputStream(raw)
                     : archive.endsWith(".zst") ? new ZstdCompressorInputStream(raw) : raw;
             TarArchiveInputStream tar = new TarArchiveInputStream(un)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.getName().equals(name) || e.getName().equals("./" + name)) return JSON.readTree(tar.readAllBytes());
            }
        }
        throw new IllegalStateException(name + " not in " + archive);
    }

    private static String specEnv(String archive, String variable) throws IOException {
        for (JsonNode e : member(archive, "spec.dump").at("/process/env")) {
            if (e.asText().startsWith(variable + "=")) return e.asText().substring(variable.length() + 1);
        }
        throw new IllegalStateException(variable + " not in the spec of " + archive);
    }

    @Test
    void inspectMasksSecretsInTextAndJsonAsAnalyzeDoesUnlessShowSecrets() throws Exception {
        String secret = specEnv("fileless-miner.tar.gz", "DB_PASSWORD");
        assertThat(secret).hasSizeGreaterThan(4);
        String masked = "DB_PASSWORD=" + secret.substring(0, 2) + "…(" + secret.length() + " chars)";
        String archive = checkpoint("fileless-miner.tar.gz").toString();

        Run tree = run("inspect", "--all", archive);
        assertThat(tree.exit()).as(tree.err()).isZero();
        assertThat(tree.out()).doesNotContain(secret).contains(masked);
        Run json = run("inspect", "--all", "--format", "json", archive);
        assertThat(json.out()).doesNotContain(secret).contains(masked);
        Run env = run("inspect", "--ps-tree-env", archive);
        assertThat(env.out()).doesNotContain(secret).contains(masked);

        Run analyze = run("analyze", "--format", "json", archive);
        assertThat(analyze.out()).doesNotContain(secret).contains(masked);

        Run shown = run("inspect", "--all", "--show-secrets", archive);
        assertThat(shown.out()).contains("DB_PASSWORD=" + secret);
        // what is no secret stays readable
        assertThat(tree.out()).contains("HOSTNAME=" + specEnv("fileless-miner.tar.gz", "HOSTNAME"));
    }

    @Test
    void socketBuffersAreInKiBLikeEverySize() throws Exception {
        Run tree = run("inspect", "--sockets", checkpoint("fileless-miner.tar.gz").toString());
        assertThat(tree.exit()).as(tree.err()).isZero();
        assertThat(tree.out()).contains(" KiB").doesNotContainPattern("\\d KB\\b");
        JsonNode json = JSON.readTree(run("inspect", "--sockets", "--format", "json", checkpoint("fileless-miner.tar.gz").toString()).out());
        JsonNode data = json.get(0).get("sockets").get(0).get("open_sockets").get(0).get("data");
        assertThat(data.get("send_buf").asText()).matches("\\d+(\\.\\d)? (B|KiB|MiB)");
        assertThat(data.get("recv_buf").asText()).matches("\\d+(\\.\\d)? (B|KiB|MiB)");
    }

    @Test
    void theContainerHasItsOwnNameEverywhereAndThePodContainerNameAlongside() throws Exception {
        String name = member("benign-web.tar.zst", "config.dump").get("name").asText();
        String k8s = member("benign-web.tar.zst", "spec.dump").at("/annotations/io.kubernetes.container.name").asText();
        assertThat(name).isNotEqualTo(k8s); // the fixture's point: "web" runs pod container "frontend"
        String archive = checkpoint("benign-web.tar.zst").toString();

        JsonNode show = JSON.readTree(run("show", "--format", "json", archive).out()).get("checkpoints").get(0);
        assertThat(show.get("container_name").asText()).isEqualTo(name);
        assertThat(show.get("kubernetes_container").asText()).isEqualTo(k8s);
        JsonNode inspect = JSON.readTree(run("inspect", "--format", "json", archive).out()).get(0);
        assertThat(inspect.get("container_name").asText()).isEqualTo(name);
        Run analyze = run("analyze", "--format", "json", archive);
        assertThat(analyze.exit()).as(analyze.err()).isIn(0, 1);
        JsonNode id = JSON.readTree(analyze.out()).get("container");
        assertThat(id.get("container_name").asText()).isEqualTo(name);
        assertThat(id.get("kubernetes_container").asText()).isEqualTo(k8s);
        Run text = run("analyze", archive);
        assertThat(text.out()).contains("Container " + name + " (pod container " + k8s + ")");
    }

    @Test
    void missingMeansTheSameInMemoryAndMemoryMaps() throws Exception {
        for (String archive : new String[] {"irc-bot.tar.zst", "fileless-miner.tar.gz"}) {
            String path = checkpoint(archive).toString();
            JsonNode summary = JSON.readTree(run("memory", path, "--format", "json").out()).get("processes");
            assertThat(summary.size()).isPositive();
            boolean fileWasSplit = false;
            for (JsonNode p : summary) {
                String pid = p.get("pid").asText();
                Run maps = run("memory", "maps", path, "--pid", pid, "--format", "json");
                assertThat(maps.exit()).as(maps.err()).isZero();
                long missing = 0, file = 0;
                for (JsonNode v : JSON.readTree(maps.out()).get("vmas")) {
                    missing += v.get("missing_pages").asLong();
                    file += v.get("file_backed_pages_not_in_checkpoint").asLong();
                }
                assertThat(missing).as(archive + " pid " + pid).isEqualTo(p.get("missing_pages").asLong());
                assertThat(file).as(archive + " pid " + pid).isEqualTo(p.get("file_backed_pages_not_in_checkpoint").asLong());
                if (file > 0) fileWasSplit = true;
                // the table: MISSING summed over the VMAs is the summary's MISSING
                long tableMissing = 0;
                for (String line : run("memory", "maps", path, "--pid", pid).out().lines().skip(1).toList()) {
                    String cell = line.trim().split("\\s+")[4];
                    if (!cell.equals("-")) tableMissing += Long.parseLong(cell);
                }
                assertThat(tableMissing).isEqualTo(p.get("missing_pages").asLong());
            }
            assertThat(fileWasSplit).as("the fixture has file pages CRIU did not dump").isTrue();
        }
    }

    @Test
    void evidenceAddTakesNamespacePodAndContainerFromTheArchive(@TempDir Path dir) throws Exception {
        JsonNode spec = member("benign-web.tar.zst", "spec.dump").get("annotations");
        String vault = dir.resolve("vault").toString();
        Run add = run("evidence", "add", "--vault", vault, "-q", checkpoint("benign-web.tar.zst").toString());
        assertThat(add.exit()).as(add.err()).isZero();
        Run given = run("evidence", "add", "--vault", vault, "-q", "--pod", "given-pod", checkpoint("irc-bot.tar").toString());
        assertThat(given.exit()).as(given.err()).isZero();
        Map<String, JsonNode> bySource = new HashMap<>();
        for (JsonNode n : JSON.readTree(run("evidence", "list", "--vault", vault, "--format", "json").out()).get("items")) bySource.put(n.get("source").asText(), n);
        JsonNode web = bySource.get("benign-web.tar.zst");
        assertThat(web.get("namespace").asText()).isEqualTo(spec.get("io.kubernetes.pod.namespace").asText());
        assertThat(web.get("pod").asText()).isEqualTo(spec.get("io.kubernetes.pod.name").asText());
        assertThat(web.get("container").asText()).isEqualTo(spec.get("io.kubernetes.container.name").asText());
        JsonNode irc = bySource.get("irc-bot.tar");
        assertThat(irc.get("pod").asText()).isEqualTo("given-pod"); // the command line wins
        assertThat(irc.get("namespace").asText())
                .isEqualTo(member("irc-bot.tar", "spec.dump").at("/annotations/io.kubernetes.pod.namespace").asText());
        // any other file is stored without made-up provenance
        Path other = dir.resolve("notes.txt");
        Files.writeString(other, "not a checkpoint");
        assertThat(run("evidence", "add", "--vault", vault, "-q", other.toString()).exit()).isZero();
    }

    @Test
    void showFitsIn120ColumnsAndWideAndJsonKeepEverything() throws Exception {
        String[] archives = {checkpoint("irc-bot.tar").toString(), checkpoint("fileless-miner.tar.gz").toString(),
                checkpoint("benign-web.tar.zst").toString(), checkpoint("irc-bot.pre.tar.zst").toString()};
        String[] args = new String[archives.length + 1];
        args[0] = "show";
        System.arraycopy(archives, 0, args, 1, archives.length);
        Run table = run(args);
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out().lines()).hasSize(archives.length + 1).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(120));
        String created = member("benign-web.tar.zst", "config.dump").get("createdTime").asText();
        assertThat(table.out()).contains("benign-web.tar.zst").contains(created.substring(0, 10) + " " + created.substring(11, 16));

        String[] wide = new String[args.length + 1];
        System.arraycopy(args, 0, wide, 0, args.length);
        wide[args.length] = "--wide";
        Run w = run(wide);
        String id = member("benign-web.tar.zst", "config.dump").get("id").asText();
        assertThat(w.out()).contains(id.substring(0, 12)).contains("ROOT FS DIFF SIZE").contains(archives[2]);

        String[] json = new String[args.length + 2];
        System.arraycopy(args, 0, json, 0, args.length);
        json[args.length] = "--format";
        json[args.length + 1] = "json";
        JsonNode rows = JSON.readTree(run(json).out()).get("checkpoints");
        for (String k : new String[] {"archive", "container_name", "image", "id", "runtime", "created", "engine", "pod_name",
                "kubernetes_namespace", "compression", "checkpoint_size", "root_fs_diff_size"}) {
            assertThat(rows.get(2).has(k)).as(k).isTrue();
        }
        assertThat(rows.get(2).get("id").asText()).isEqualTo(id);
    }
}
