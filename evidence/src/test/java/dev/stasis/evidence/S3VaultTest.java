package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 backend against s3proxy: multipart upload, read-back check, tampering, an unreachable endpoint. */
class S3VaultTest {
    static S3Server server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = new S3Server();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static int buckets;

    private S3Config newBucket() {
        return server.bucket("evidence-" + (++buckets));
    }

    @Test
    void storesAMultipartArchiveUnderItsSha256AndVerifiesIt() throws Exception {
        S3Config cfg = newBucket();
        Path archive = TestData.checkpoint("irc-bot.tar"); // 7.3 MB: two 5 MiB parts
        String truth = TestData.sha256sum(archive);
        try (Vault v = Vault.open(VaultConfig.local(dir).withS3(cfg))) {
            StoreResult r = v.store(StoreRequest.ofFile(archive, Provenance.builder().pod("irc").build(), TestData.tester()));
            assertThat(r.item().id()).isEqualTo(truth);
            assertThat(r.item().manifest().location()).isEqualTo("s3://" + cfg.bucket() + "/objects/" + truth);
            assertThat(r.item().manifest().storage()).containsEntry("parts", "2").containsEntry("readBack", "true");
            assertThat(r.item().manifest().format()).isEqualTo("tar");
            assertThat(v.verify(truth, TestData.tester(), null).ok()).isTrue();
            Path out = dir.resolve("back.tar");
            v.get(truth, out, TestData.tester(), null, null);
            assertThat(TestData.sha256sum(out)).isEqualTo(truth);
            // the same bytes again, as a stream with no hash given: one item, two entries
            try (var in = Files.newInputStream(archive)) {
                StoreResult again = v.store(new StoreRequest(new StoreRequest.StreamSource(in, -1), Provenance.builder().pod("irc-2").build(),
                        null, TestData.tester(), null, null));
                assertThat(again.duplicate()).isTrue();
                assertThat(again.item().manifest().provenance()).hasSize(2);
            }
            assertThat(v.list()).hasSize(1);
        }
        // nothing left over in the bucket: no incomplete uploads, just the object and its manifest
        try (S3Client c = server.client()) {
            assertThat(c.listMultipartUploads(b -> b.bucket(cfg.bucket())).uploads()).isEmpty();
            assertThat(c.listObjectsV2(b -> b.bucket(cfg.bucket())).contents()).extracting(o -> o.key())
                    .containsExactlyInAnyOrder("objects/" + truth, "manifests/" + truth + ".json");
        }
    }

    @Test
    void aWrongExpectedHashAbortsTheUploadAndLeavesNothing() {
        S3Config cfg = newBucket();
        try (Vault v = Vault.open(VaultConfig.local(dir).withS3(cfg))) {
            assertThatThrownBy(() -> v.store(StoreRequest.ofFile(TestData.checkpoint("irc-bot.tar"), null, TestData.tester())
                    .withExpectedSha256("b".repeat(64)))).isInstanceOf(HashMismatchException.class);
            assertThat(v.list()).isEmpty();
        }
        try (S3Client c = server.client()) {
            assertThat(c.listObjectsV2(b -> b.bucket(cfg.bucket())).contents()).isEmpty();
            assertThat(c.listMultipartUploads(b -> b.bucket(cfg.bucket())).uploads()).isEmpty();
        }
    }

    @Test
    void tamperingInTheBucketIsNamed() {
        S3Config cfg = newBucket();
        try (Vault v = Vault.open(VaultConfig.local(dir).withS3(cfg))) {
            String a = v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), Provenance.builder().namespace("web").build(), TestData.tester())).item().id();
            String b = v.store(StoreRequest.ofFile(TestData.checkpoint("fileless-miner.tar.gz"), Provenance.builder().namespace("ml").build(), TestData.tester())).item().id();
            try (S3Client c = server.client()) {
                c.putObject(p -> p.bucket(cfg.bucket()).key("objects/" + a), RequestBody.fromString("replaced"));
                String m = c.getObjectAsBytes(g -> g.bucket(cfg.bucket()).key("manifests/" + b + ".json")).asUtf8String();
                c.putObject(p -> p.bucket(cfg.bucket()).key("manifests/" + b + ".json"), RequestBody.fromString(m.replace("\"ml\"", "\"ops\"")));
            }
            assertThat(v.verify(a, TestData.tester(), null).problems()).extracting(Problem::part).containsExactly(Part.ARCHIVE);
            assertThat(v.verify(b, TestData.tester(), null).problems()).extracting(Problem::part).containsExactly(Part.MANIFEST);
            assertThatThrownBy(() -> v.get(a, dir.resolve("a.out"), TestData.tester(), null, null)).isInstanceOf(TamperedException.class);
            assertThat(dir.resolve("a.out")).doesNotExist();
        }
    }

    @Test
    void anUnreachableEndpointIsAOneLineErrorAndLosesNothing() throws Exception {
        // a port nothing listens on: bind one, note it, close it
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        S3Config dead = S3Config.of(URI.create("http://127.0.0.1:" + port), "evidence", "a", "b");
        try (Vault v = Vault.open(VaultConfig.local(dir).withS3(dead))) {
            assertThatThrownBy(() -> v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester())))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("unreachable")
                    .hasMessageContaining("127.0.0.1:" + port)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(v.custody().records().getLast().outcome()).isEqualTo("failed");
        }
    }

    @Test
    void objectLockTheServerCannotHonourFailsTheStoreInsteadOfStoringUnlocked() {
        // s3proxy answers Object Lock headers (retention, legal hold) with 501 Not Implemented.
        // The vault must then refuse to store rather than keep evidence without the lock it was told to apply.
        for (S3Config cfg : java.util.List.of(newBucket().withObjectLock("GOVERNANCE", Duration.ofDays(30), false),
                newBucket().withObjectLock(null, null, true))) {
            try (Vault v = Vault.open(VaultConfig.local(dir.resolve(cfg.bucket())).withS3(cfg))) {
                assertThatThrownBy(() -> v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester())))
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining("not implemented")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
                assertThat(v.list()).isEmpty();
            }
            try (S3Client c = server.client()) {
                assertThat(c.listObjectsV2(b -> b.bucket(cfg.bucket())).contents()).isEmpty();
            }
        }
    }

    @Test
    void badLockSettingsAreRefusedUpFront() {
        assertThatThrownBy(() -> S3Config.of(server.endpoint, "b", "a", "s").withObjectLock("FOREVER", Duration.ofDays(1), false))
                .hasMessageContaining("GOVERNANCE or COMPLIANCE");
        assertThatThrownBy(() -> S3Config.of(server.endpoint, "b", "a", "s").withObjectLock("COMPLIANCE", null, false))
                .hasMessageContaining("positive retention");
    }
}
