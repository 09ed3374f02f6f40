package dev.stasis.cli.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.cli.CliTesting;
import dev.stasis.cli.CliTesting.Run;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence commands under the faults and mistakes users meet: a mistyped --vault with a
 * command that only reads (an error, and nothing created), a full disk (a real 5 MiB tmpfs, root
 * only), and several `stasis evidence add --case` processes (real child JVMs) at once.
 */
class EvidenceFaultsCliTest {
    @TempDir
    Path dir;
    Path mount;
    boolean mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted) new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    }

    /** {@code stasis evidence|case --vault VAULT ARGS...} in this JVM, wired with stasis's error handling. */
    private static Run run(Path vault, String... args) {
        List<String> full = new ArrayList<>(List.of("--vault", vault.toString()));
        full.addAll(List.of(args).subList(1, args.length));
        return CliTesting.run(() -> {
            var cl = new picocli.CommandLine(args[0].equals("case") ? new CaseCommand() : new EvidenceCommand());
            cl.setExecutionExceptionHandler(dev.stasis.cli.support.Errors::handleExecutionException);
            cl.setParameterExceptionHandler(dev.stasis.cli.support.Errors::handleParameterException);
            return cl;
        }, full.toArray(String[]::new));
    }

    @Test
    void readOnlyCommandsOnAMistypedVaultSayNoVaultAndCreateNothing() {
        Path typo = dir.resolve("typo");
        String[][] commands = {
                {"evidence", "verify", "--all"}, {"evidence", "log", "--verify"}, {"evidence", "log"}, {"evidence", "list"},
                {"evidence", "show", "abcdef12"}, {"evidence", "get", "abcdef12", "-o", dir.resolve("out").toString()},
                {"evidence", "export", "abcdef12", "-o", dir.resolve("exp").toString()}, {"evidence", "delete", "abcdef12"},
                {"case", "list"}, {"case", "show", "INC-1"}, {"case", "tag", "INC-1", "x"}, {"case", "note", "INC-1", "x"},
                {"case", "close", "INC-1"}, {"case", "add", "INC-1", "abcdef12"}};
        for (String[] c : commands) {
            Run r = run(typo, c);
            assertThat(r.exit()).as(String.join(" ", c)).isEqualTo(1);
            assertThat(r.err()).as(String.join(" ", c)).isEqualTo("stasis: no vault at " + typo
                    + " (create one with `stasis evidence keygen --vault DIR` or `evidence add`)\n");
            assertThat(r.out()).as(String.join(" ", c)).isEmpty();
            assertThat(typo).as("after " + String.join(" ", c)).doesNotExist();
        }
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir.resolve("exp")).doesNotExist();
    }

    @Test
    void aVaultWithoutCasesListsNoneAndCreatesNoDatabase() throws Exception {
        Path vault = dir.resolve("vault");
        assertThat(run(vault, "evidence", "keygen").exit()).isZero();
        Run list = run(vault, "case", "list", "--format", "json");
        assertThat(list.exit()).as(list.err()).isZero();
        JsonNode cases = new ObjectMapper().readTree(list.out());
        assertThat(cases.get("schema").asText()).isEqualTo("stasis.case-list/v1");
        assertThat(cases.get("cases")).isEmpty();
        Run show = run(vault, "case", "show", "INC-1");
        assertThat(show.err()).isEqualTo("stasis: no case INC-1 (create it with 'stasis case create INC-1')\n");
        assertThat(vault.resolve("cases.db")).doesNotExist();
    }

    @Test
    void theSigningKeyLivesWhereItIsPutAndTheVaultKeepsThePublicKey() throws Exception {
        Path vault = dir.resolve("vault"), key = dir.resolve("collector-only/signing.key");
        Run keygen = run(vault, "evidence", "--signing-key", key.toString(), "keygen");
        assertThat(keygen.exit()).as(keygen.err()).isZero();
        assertThat(key).exists();
        assertThat(vault.resolve("keys/signing.key")).doesNotExist();
        assertThat(vault.resolve("keys/signing.pub.pem")).exists();
        Run add = run(vault, "evidence", "--signing-key", key.toString(), "add", "-q", CliTesting.checkpoint("benign-web.tar.zst").toString());
        assertThat(add.exit()).as(add.err()).isZero();
        // without the key: checking works, says that it could not be recorded, and storing is refused
        Run verify = run(vault, "evidence", "verify", "--all");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.err()).startsWith("stasis: note: not recorded in the custody log");
        Run addWithout = run(vault, "evidence", "add", "-q", CliTesting.checkpoint("irc-bot.tar.zst").toString());
        assertThat(addWithout.exit()).isEqualTo(1);
        assertThat(addWithout.err()).contains("private key").doesNotContain("\tat ");
        // the public key in the vault is the private key's half as openssl computes it
        Process p = new ProcessBuilder("openssl", "pkey", "-in", key.toString(), "-pubout").redirectErrorStream(true).start();
        String pub = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(vault.resolve("keys/signing.pub.pem")).strip()).isEqualTo(pub.strip());
    }

    @Test
    void afterAFullDiskTheNextAddSucceedsAndTheLogVerifies() throws Exception {
        mount = dir.resolve("small");
        Files.createDirectories(mount);
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=5m,mode=0700", "tmpfs", mount.toString()).redirectErrorStream(true).start();
        String why = new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        mounted = m.waitFor() == 0;
        if (!mounted) System.err.println("SKIPPED EvidenceFaultsCliTest full disk: cannot mount a 5 MiB tmpfs (" + why + "); needs root");
        assumeTrue(mounted, "cannot mount a small tmpfs (needs root): " + why);
        Path vault = mount.resolve("vault");
        assertThat(run(vault, "evidence", "add", "-q", CliTesting.checkpoint("benign-web.tar.zst").toString()).exit()).isZero();
        Path filler = mount.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] zeros = new byte[64 << 10];
            while (true) out.write(zeros);
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
        Run failed = run(vault, "evidence", "add", "-q", CliTesting.checkpoint("irc-bot.tar.zst").toString());
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).startsWith("stasis: ").contains("No space left on device").doesNotContain("\tat ");
        assertThat(failed.err().strip()).doesNotContain("\n");
        Files.delete(filler);
        Run again = run(vault, "evidence", "add", "-q", CliTesting.checkpoint("irc-bot.tar.zst").toString());
        assertThat(again.exit()).as(again.err()).isZero();
        Run verify = run(vault, "evidence", "log", "--verify");
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertConsecutiveAndChained(vault.resolve("custody.log"));
    }

    @Test
    void concurrentAddsToOneNewCaseFromSeveralProcessesAllSucceed() throws Exception {
        int n = 6;
        Path vault = dir.resolve("vault");
        List<Path> files = new ArrayList<>();
        Random random = new Random(11);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[8192 + i];
            random.nextBytes(b);
            files.add(Files.write(dir.resolve("item" + i + ".bin"), b));
        }
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < n; i++)
            ps.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"),
                    "dev.stasis.cli.Main", "evidence", "add", "--vault", vault.toString(), "--case", "INC-RACE", "-q", files.get(i).toString())
                    .redirectError(dir.resolve("err" + i).toFile()).start());
        List<String> printed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Process p = ps.get(i);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("add %d: %s %s", i, out, Files.readString(dir.resolve("err" + i))).isZero();
            assertThat(out).startsWith("stored  ").contains("case INC-RACE");
            printed.add(out.substring(8, 72));
        }
        List<String> truth = new ArrayList<>();
        for (Path f : files) truth.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
        assertThat(printed).containsExactlyElementsOf(truth);
        JsonNode show = new ObjectMapper().readTree(run(vault, "case", "show", "INC-RACE", "--format", "json").out());
        List<String> linked = new ArrayList<>();
        show.get("evidence").forEach(e -> linked.add(e.get("item_id").asText()));
        assertThat(linked).containsExactlyInAnyOrderElementsOf(truth);
        assertThat(run(vault, "evidence", "log", "--verify").exit()).isZero();
        assertConsecutiveAndChained(vault.resolve("custody.log"));
    }

    /** Sequence numbers 1..n, each once, and each record's prev the SHA-256 of the line before (read with plain JSON and SHA-256). */
    static void assertConsecutiveAndChained(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String prev = "0".repeat(64);
        long expected = 1;
        for (String line : lines) {
            JsonNode r = new ObjectMapper().readTree(line);
            assertThat(r.get("seq").asLong()).isEqualTo(expected++);
            assertThat(r.get("prev").asText()).isEqualTo(prev);
            prev = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
