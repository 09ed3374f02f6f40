package dev.stasis.cli.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.cli.CliTesting;
import dev.stasis.cli.CliTesting.Run;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evidence and case commands end to end, through picocli, on a vault in a temporary directory. */
class EvidenceCliTest {
    @TempDir
    Path dir;

    /** {@code stasis evidence|case --vault DIR ARGS...}, on the vault in this test's directory. */
    private Run run(String... args) {
        // the command under test alone, with stasis's error handling (as Main wires it), so that
        // this test does not load every other capability's classes
        java.util.List<String> full = new java.util.ArrayList<>(java.util.List.of("--vault", dir.resolve("vault").toString()));
        full.addAll(java.util.List.of(args).subList(1, args.length));
        return CliTesting.run(() -> {
            var cl = new picocli.CommandLine(args[0].equals("case") ? new CaseCommand() : new EvidenceCommand());
            cl.setExecutionExceptionHandler(dev.stasis.cli.support.Errors::handleExecutionException);
            cl.setParameterExceptionHandler(dev.stasis.cli.support.Errors::handleParameterException);
            return cl;
        }, full.toArray(String[]::new));
    }

    static Path fixture(String name) {
        return CliTesting.checkpoint(name);
    }

    @Test
    void addListShowVerifyGetAndTheLogInJson() throws Exception {
        Path alert = dir.resolve("alert.json");
        Files.writeString(alert, "{\"rule\":\"Terminal shell in container\"}\n");
        Run add = run("evidence", "add", fixture("irc-bot.tar.zst").toString(), "--case", "INC-1", "--alert", alert.toString(),
                "--pod", "nb-0", "-n", "jupyter", "--format", "json");
        assertThat(add.exit()).as(add.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(add.out());
        String id = a.get("id").asText();
        assertThat(a.at("/manifest/provenance/0/source/alert").asText()).isEqualTo("{\"rule\":\"Terminal shell in container\"}\n");
        assertThat(a.at("/manifest/stored_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        JsonNode list = new ObjectMapper().readTree(run("evidence", "list", "--format", "json").out()).get("items");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("pod").asText()).isEqualTo("nb-0");

        JsonNode show = new ObjectMapper().readTree(run("evidence", "show", id.substring(0, 10), "--format", "json").out());
        assertThat(show.get("cases").get(0).asText()).isEqualTo("INC-1");

        Run get = run("evidence", "get", id, "-o", dir.resolve("copy").toString());
        assertThat(get.exit()).as(get.err()).isZero();
        assertThat(Files.mismatch(dir.resolve("copy"), fixture("irc-bot.tar.zst"))).isEqualTo(-1);

        JsonNode log = new ObjectMapper().readTree(run("evidence", "log", "--format", "json").out()).get("records");
        assertThat(log).extracting(n -> n.get("action").asText()).containsExactly("STORE", "READ");
        assertThat(run("evidence", "log", "--verify").exit()).isZero();

        // tamper one byte: verify exits 1 and names the archive; get refuses and leaves nothing
        Path object = dir.resolve("vault/objects").resolve(id.substring(0, 2)).resolve(id);
        try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
            f.seek(100);
            f.write(f.read() ^ 0xff);
        }
        Run verify = run("evidence", "verify", "--all", "--format", "json");
        assertThat(verify.exit()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(verify.out()).at("/items/0/problems/0/part").asText()).isEqualTo("ARCHIVE");
        Run bad = run("evidence", "get", id, "-o", dir.resolve("bad").toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("stasis: archive bytes of " + id + " were altered").doesNotContain("\tat ");
        assertThat(dir.resolve("bad")).doesNotExist();
    }

    @Test
    void casesInJson() throws Exception {
        assertThat(run("case", "create", "INC-9", "-t", "miner").exit()).isZero();
        assertThat(run("case", "tag", "INC-9", "miner", "mitre:T1496").exit()).isZero();
        assertThat(run("case", "note", "INC-9", "pod", "evicted").exit()).isZero();
        JsonNode show = new ObjectMapper().readTree(run("case", "show", "INC-9", "--format", "json").out());
        assertThat(show.get("title").asText()).isEqualTo("miner");
        assertThat(show.get("tags")).extracting(JsonNode::asText).containsExactly("miner", "mitre:T1496");
        assertThat(show.at("/notes/0/body").asText()).isEqualTo("pod evicted");
        Run missing = run("case", "show", "INC-404");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("stasis: no case INC-404");
    }

    @Test
    void badInputIsOneLine() {
        assertThat(run("evidence", "keygen").exit()).isZero(); // a vault, without the item asked for
        Run r = run("evidence", "get", "abcdef", "-o", dir.resolve("x").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("stasis: no item abcdef").doesNotContain("\tat ");
        Run f = run("evidence", "add", dir.resolve("nope.tar").toString());
        assertThat(f.exit()).isEqualTo(1);
        assertThat(f.err().strip()).isEqualTo("stasis: no such file: " + dir.resolve("nope.tar"));
    }
}
