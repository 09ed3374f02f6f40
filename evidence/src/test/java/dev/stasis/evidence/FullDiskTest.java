package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vault on a real, small file system (a 3 MiB tmpfs, mounted for the test;
 * needs root) that fills up mid-store: a clear one-line error, no visible
 * item, no temporary file left, and the items stored before still verify.
 */
class FullDiskTest {
    @TempDir
    Path dir;
    Path mount;
    boolean mounted;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = dir.resolve("small");
        Files.createDirectories(mount);
        TestData.Result r = TestData.run(dir, "mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", mount.toString());
        mounted = r.exit() == 0;
        if (!mounted) System.err.println("SKIPPED FullDiskTest: cannot mount a small tmpfs (" + r.output().strip() + "); needs root");
        assumeTrue(mounted, "cannot mount a small tmpfs (needs root): " + r.output().strip());
    }

    @AfterEach
    void unmount() {
        if (mounted) TestData.run(dir, "umount", mount.toString());
    }

    @Test
    void aFullDiskIsAOneLineErrorAndLosesNothingStoredBefore() throws Exception {
        Path root = mount.resolve("vault");
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            String first = v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester())).item().id();
            assertThatThrownBy(() -> v.store(StoreRequest.ofFile(TestData.checkpoint("irc-bot.tar"), null, TestData.tester())))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("No space left on device")
                    .hasMessageContaining("nothing was stored")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(v.list()).extracting(EvidenceItem::id).containsExactly(first);
            try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
                assertThat(s).isEmpty();
            }
            assertThat(v.verify(first, TestData.tester(), null).ok()).isTrue();
            assertThat(v.custody().verify().ok()).isTrue();
            assertThat(v.custody().records()).extracting(CustodyRecord::outcome).contains("failed");
        }
    }
}
