package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes (real child JVMs) storing into the same new vault at once, as several
 * {@code stasis evidence add} runs do: one signing key is made, every store succeeds, and the
 * custody log's appends are serialised (one record each, numbers 1..n, the chain intact).
 */
class ConcurrentVaultTest {
    static final int PROCESSES = 6;

    @TempDir
    Path dir;

    @Test
    void severalProcessesStoringIntoOneNewVaultAllSucceed() throws Exception {
        Path root = dir.resolve("vault");
        List<Path> files = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < PROCESSES; i++) {
            byte[] b = new byte[4096 + i];
            random.nextBytes(b);
            files.add(Files.write(dir.resolve("f" + i + ".bin"), b));
        }
        List<Process> children = new ArrayList<>();
        for (Path f : files)
            children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), CustodyChild.class.getName(), root.toString(), f.toString())
                    .redirectErrorStream(true).start());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            Process p = children.get(i);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("child %d: %s", i, out).isZero();
            assertThat(out).startsWith("STORED ");
            ids.add(out.substring(7, 71));
        }
        for (int i = 0; i < files.size(); i++) assertThat(ids.get(i)).isEqualTo(TestData.sha256sum(files.get(i)));
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            assertThat(v.ids()).containsExactlyInAnyOrderElementsOf(ids);
            for (String id : ids) assertThat(v.verify(id, TestData.tester(), null).ok()).isTrue();
            assertThat(v.custody().verify().problems()).isEmpty();
        }
        CustodyFaultTest.assertConsecutiveAndChained(root.resolve("custody.log"));
    }
}
