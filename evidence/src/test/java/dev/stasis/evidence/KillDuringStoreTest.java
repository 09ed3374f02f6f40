package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A store killed with SIGKILL (destroyForcibly) in a real child JVM halfway
 * through: no item is visible, and storing the same bytes again succeeds.
 */
class KillDuringStoreTest {
    @TempDir
    Path dir;

    private static Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StoreChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits for the child's MIDWAY line, then kills it with SIGKILL. */
    private static void killAtMidway(Process p) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean midway = false;
            while ((line = r.readLine()) != null) {
                if (line.equals("MIDWAY")) {
                    midway = true;
                    break;
                }
            }
            assertThat(midway).as("the child reached the middle of its store").isTrue();
            p.destroyForcibly();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isEqualTo(137); // 128 + SIGKILL
    }

    private static StoreResult retry(Vault v) {
        return v.store(new StoreRequest(new StoreRequest.StreamSource(new StoreChild.Deterministic(StoreChild.SIZE, -1), StoreChild.SIZE),
                Provenance.builder().pod("retried").build(), null, TestData.tester(), "retry after kill", null));
    }

    @Test
    void localStoreKilledMidwayLeavesNoItemAndTheRetrySucceeds() throws Exception {
        Path root = dir.resolve("vault");
        killAtMidway(child(root.toString()));
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            assertThat(v.list()).isEmpty();
            assertThat(v.ids()).isEmpty();
            try (Stream<Path> s = Files.walk(root.resolve("objects"))) {
                assertThat(s.filter(Files::isRegularFile)).isEmpty();
            }
            try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
                assertThat(s.toList()).as("the killed store's bytes sit in an invisible temporary file").hasSize(1);
            }
            StoreResult r = retry(v);
            assertThat(r.duplicate()).isFalse();
            assertThat(r.item().size()).isEqualTo(StoreChild.SIZE);
            assertThat(v.list()).hasSize(1);
            assertThat(v.verify(r.item().id(), TestData.tester(), null).ok()).isTrue();
            assertThat(v.custody().verify().ok()).isTrue();
        }
    }

    @Test
    void s3MultipartUploadKilledMidwayLeavesNoObjectAndTheRetrySucceeds() throws Exception {
        try (S3Server server = new S3Server()) {
            S3Config cfg = server.bucket("killed");
            Path root = dir.resolve("vault");
            killAtMidway(child(root.toString(), server.endpoint.toString(), cfg.bucket()));
            try (S3Client c = server.client()) {
                assertThat(c.listObjectsV2(b -> b.bucket(cfg.bucket())).contents()).isEmpty();
                assertThat(c.listMultipartUploads(b -> b.bucket(cfg.bucket())).uploads())
                        .as("the killed store left an incomplete multipart upload, which no listing shows as an object").hasSize(1);
            }
            try (Vault v = Vault.open(VaultConfig.local(root).withS3(cfg))) {
                assertThat(v.list()).isEmpty();
                StoreResult r = retry(v);
                assertThat(r.item().size()).isEqualTo(StoreChild.SIZE);
                assertThat(v.list()).hasSize(1);
                assertThat(v.verify(r.item().id(), TestData.tester(), null).ok()).isTrue();
            }
        }
    }
}
