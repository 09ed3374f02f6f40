package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The custody log after the faults an ordinary machine has: a full disk (a real 5 MiB tmpfs, needs
 * root) and a SIGKILL between writing a record and writing the signed head, or in the middle of a
 * record (a real child JVM, stalled there by the test-only hook and killed with destroyForcibly).
 * Afterwards the log verifies and its sequence numbers are 1, 2, 3... with none used twice. The
 * numbers and the chain are read from the file with a plain JSON parser and the JDK's SHA-256, not
 * through the log's own reader.
 */
class CustodyFaultTest {
    @TempDir
    Path dir;
    Path mount;
    boolean mounted;

    @AfterEach
    void unmount() {
        if (mounted) TestData.run(dir, "umount", mount.toString());
    }

    private void mountSmallDisk() throws IOException {
        mount = dir.resolve("small");
        Files.createDirectories(mount);
        TestData.Result r = TestData.run(dir, "mount", "-t", "tmpfs", "-o", "size=5m,mode=0700", "tmpfs", mount.toString());
        mounted = r.exit() == 0;
        if (!mounted) System.err.println("SKIPPED CustodyFaultTest full disk: cannot mount a 5 MiB tmpfs (" + r.output().strip() + "); needs root");
        assumeTrue(mounted, "cannot mount a small tmpfs (needs root): " + r.output().strip());
    }

    /** Writes zeros until the file system says it is full, then checks that it is. */
    private static Path fill(Path fs) throws IOException {
        Path filler = fs.resolve("filler");
        byte[] zeros = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(zeros);
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("No space left on device");
        }
        assertThat(Files.getFileStore(fs).getUsableSpace()).isZero();
        return filler;
    }

    @Test
    void afterAFullDiskTheLogStillVerifiesAndNoNumberIsReused() throws Exception {
        mountSmallDisk();
        Path root = mount.resolve("vault");
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester()));
        }
        Path filler = fill(mount);
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            assertThatThrownBy(() -> v.store(StoreRequest.ofFile(TestData.checkpoint("irc-bot.tar.zst"), null, TestData.tester())))
                    .isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("No space left on device").doesNotContain("\n"));
            // the log itself fails closed: an append on the full disk throws, it never claims to have recorded
            assertThatThrownBy(() -> v.custody().append(CustodyAction.VERIFY, null, TestData.tester(), "on a full disk", "ok", null, null))
                    .isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(e.getMessage()).startsWith("cannot append to the custody log").doesNotContain("\n"));
        }
        Files.delete(filler);
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            v.store(StoreRequest.ofFile(TestData.checkpoint("irc-bot.tar.zst"), null, TestData.tester()));
            v.verifyAll(TestData.tester(), "after the disk was freed");
            CustodyVerification cv = v.custody().verify();
            assertThat(cv.problems()).isEmpty();
            assertThat(cv.ok()).isTrue();
        }
        assertConsecutiveAndChained(root.resolve("custody.log"));
    }

    private Process child(Path root, Path file, String stallAt) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dstasis.test.custodyStall=" + stallAt, "-cp", System.getProperty("java.class.path"),
                CustodyChild.class.getName(), root.toString(), file.toString()));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits for the child to reach the stall point, then SIGKILLs it. */
    private static void killAtStall(Process p) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean stalled = false;
            while ((line = r.readLine()) != null) {
                if (line.equals("CUSTODY-STALL")) {
                    stalled = true;
                    break;
                }
            }
            assertThat(stalled).as("the child reached the stall point in the custody append").isTrue();
            p.destroyForcibly();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isEqualTo(137); // 128 + SIGKILL
    }

    @Test
    void aKillBetweenTheRecordAndTheHeadIsAdoptedOnTheNextAppend() throws Exception {
        Path root = dir.resolve("vault");
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester()));
        }
        killAtStall(child(root, TestData.checkpoint("irc-bot.tar.zst"), "after-record"));
        List<String> before = Files.readAllLines(root.resolve("custody.log"));
        assertThat(before).as("the killed child wrote its record but not the head").hasSize(2);
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            assertThat(v.custody().verify().ok()).as("a complete, chained record after the head is not tampering").isTrue();
            v.store(StoreRequest.ofFile(TestData.checkpoint("fileless-miner.tar.gz"), null, TestData.tester()));
            CustodyVerification cv = v.custody().verify();
            assertThat(cv.problems()).isEmpty();
            assertThat(cv.headSeq()).isEqualTo(3);
            assertThat(v.list()).hasSize(3);
        }
        assertConsecutiveAndChained(root.resolve("custody.log"));
    }

    @Test
    void aKillInTheMiddleOfARecordIsCutOffAndRecorded() throws Exception {
        Path root = dir.resolve("vault");
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester()));
        }
        killAtStall(child(root, TestData.checkpoint("irc-bot.tar.zst"), "mid-record"));
        byte[] torn = Files.readAllBytes(root.resolve("custody.log"));
        assertThat(torn[torn.length - 1]).as("the log ends in half a record").isNotEqualTo((byte) '\n');
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            CustodyVerification seen = v.custody().verify();
            assertThat(seen.ok()).as("an interrupted append is reported, not called tampering").isTrue();
            assertThat(seen.notes()).singleElement().satisfies(n -> assertThat(n).contains("incomplete"));
            v.store(StoreRequest.ofFile(TestData.checkpoint("fileless-miner.tar.gz"), null, TestData.tester()));
            CustodyVerification cv = v.custody().verify();
            assertThat(cv.problems()).isEmpty();
            assertThat(cv.notes()).isEmpty();
            // the cut is itself a signed record, and the cut bytes are kept beside the log
            assertThat(v.custody().records()).extracting(CustodyRecord::action)
                    .containsExactly(CustodyAction.STORE, CustodyAction.REPAIR, CustodyAction.STORE);
            CustodyRecord repair = v.custody().records().get(1);
            assertThat(repair.detail()).startsWith("cut an incomplete STORE record of ");
            assertThat(repair.item()).as("the item whose STORE record was cut").isEqualTo(TestData.sha256sum(TestData.checkpoint("irc-bot.tar.zst")));
            byte[] kept = Files.readAllBytes(root.resolve("custody.log.torn"));
            assertThat(new String(torn, StandardCharsets.UTF_8)).endsWith(new String(kept, StandardCharsets.UTF_8).strip());
        }
        assertConsecutiveAndChained(root.resolve("custody.log"));
    }

    @Test
    void aWholeRecordMissingOnlyItsNewlineIsCompletedAndAdopted() throws Exception {
        Path root = dir.resolve("vault");
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester()));
        }
        killAtStall(child(root, TestData.checkpoint("irc-bot.tar.zst"), "after-record"));
        Path log = root.resolve("custody.log");
        byte[] b = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(b, b.length - 1)); // as if the kill had come before the newline
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            assertThat(v.custody().verify().notes()).singleElement().satisfies(n -> assertThat(n).contains("incomplete"));
            v.verifyAll(TestData.tester(), null);
            assertThat(v.custody().verify().problems()).isEmpty();
            assertThat(v.custody().records()).extracting(CustodyRecord::action)
                    .containsExactly(CustodyAction.STORE, CustodyAction.STORE, CustodyAction.VERIFY, CustodyAction.VERIFY);
        }
        assertThat(root.resolve("custody.log.torn")).doesNotExist();
        assertConsecutiveAndChained(log);
    }

    @Test
    void afterRecordsWereCutFromTheEndNoNumberIsUsedTwiceAndTheCutStaysVisible() throws Exception {
        Path root = dir.resolve("vault");
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            String id = v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester())).item().id();
            for (int i = 0; i < 3; i++) v.verify(id, TestData.tester(), null);
        }
        Path log = root.resolve("custody.log");
        List<String> lines = TestData.lines(log);
        Files.write(log, lines.subList(0, 2)); // records 3 and 4 removed; the signed head still says 4
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            v.verifyAll(TestData.tester(), null);
            assertThat(v.custody().records()).extracting(CustodyRecord::seq).containsExactly(1L, 2L, 5L);
            assertThat(v.custody().verify().problems()).extracting(Problem::message).containsExactly("records 3..4 were removed");
        }
    }

    /** Sequence numbers 1..n in order, each once, and each record's prev the SHA-256 of the line before. */
    static void assertConsecutiveAndChained(Path log) throws Exception {
        byte[] all = Files.readAllBytes(log);
        assertThat(all[all.length - 1]).as("the log ends with a complete line").isEqualTo((byte) '\n');
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        List<Long> seqs = new ArrayList<>();
        String prev = "0".repeat(64);
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            seqs.add(n.get("seq").asLong());
            assertThat(n.get("prev").asText()).as("record %s links to the line before", n.get("seq")).isEqualTo(prev);
            prev = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, lines.size()).boxed().toList());
    }
}
