package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalVaultTest {
    @TempDir
    Path dir;

    private Vault open() {
        return Vault.open(VaultConfig.local(dir.resolve("vault")));
    }

    private static Provenance provenance(String pod) {
        return Provenance.builder().alert("{\"rule\":\"Terminal shell in container\",\"output\":\"a shell\"}")
                .cluster("lab").node("node-1").namespace("jupyter").pod(pod).podUid("7d7c6f1e-uid")
                .container("notebook").containerId("cri-o://abc").image("jupyter/base:2026").imageDigest("sha256:" + "e".repeat(64))
                .runtimePath("/var/lib/kubelet/checkpoints/checkpoint-" + pod + ".tar")
                .checkpointTime(Instant.parse("2026-11-20T10:00:00Z")).collectedAt(Instant.parse("2026-11-20T10:00:05Z"))
                .collector("system:serviceaccount:stasis:responder").sourceName("irc-bot.tar.zst").build();
    }

    @Test
    void storesUnderTheSha256ThatSha256sumPrints() throws Exception {
        Path archive = TestData.checkpoint("irc-bot.tar.zst");
        String truth = TestData.sha256sum(archive);
        try (Vault v = open()) {
            StoreResult r = v.store(StoreRequest.ofFile(archive, provenance("web-0"), TestData.tester()).withReason("alert 1"));
            assertThat(r.duplicate()).isFalse();
            assertThat(r.item().id()).isEqualTo(truth);
            Manifest m = v.item(truth.substring(0, 8)).manifest();
            assertThat(m.sha256()).isEqualTo(truth);
            assertThat(m.size()).isEqualTo(Files.size(archive));
            assertThat(m.format()).isEqualTo("tar+zstd");
            assertThat(m.keyId()).isEqualTo(v.keyId());
            assertThat(m.provenance()).hasSize(1);
            ProvenanceEntry e = m.provenance().getFirst();
            assertThat(e.source().alert()).isEqualTo("{\"rule\":\"Terminal shell in container\",\"output\":\"a shell\"}");
            assertThat(e.source().pod()).isEqualTo("web-0");
            assertThat(e.source().checkpointTime()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
            assertThat(e.storedBy()).isEqualTo(TestData.tester());
            assertThat(e.reason()).isEqualTo("alert 1");
            assertThat(v.list()).extracting(EvidenceItem::id).containsExactly(truth);
        }
    }

    @Test
    void twoStoresOfTheSameBytesAreOneItemWithTwoProvenanceEntries() {
        Path archive = TestData.checkpoint("benign-web.tar.zst");
        try (Vault v = open()) {
            StoreResult a = v.store(StoreRequest.ofFile(archive, provenance("web-0"), TestData.tester()));
            StoreResult b = v.store(StoreRequest.ofFile(archive, provenance("web-1"), TestData.tester()));
            assertThat(b.duplicate()).isTrue();
            assertThat(b.item().id()).isEqualTo(a.item().id());
            assertThat(v.list()).hasSize(1);
            assertThat(v.item(a.item().id()).manifest().provenance()).extracting(p -> p.source().pod()).containsExactly("web-0", "web-1");
            assertThat(v.verify(a.item().id(), TestData.tester(), null).ok()).isTrue();
        }
    }

    @Test
    void aWrongExpectedHashStoresNothingAndIsLogged() throws Exception {
        Path archive = TestData.checkpoint("benign-web.tar.zst");
        String wrong = "a".repeat(64);
        try (Vault v = open()) {
            assertThatThrownBy(() -> v.store(StoreRequest.ofFile(archive, provenance("x"), TestData.tester()).withExpectedSha256(wrong)))
                    .isInstanceOf(HashMismatchException.class)
                    .hasMessageContaining(TestData.sha256sum(archive)).hasMessageContaining("nothing was stored");
            assertThat(v.list()).isEmpty();
            try (Stream<Path> s = Files.walk(dir.resolve("vault/objects"))) {
                assertThat(s.filter(Files::isRegularFile)).isEmpty();
            }
            try (Stream<Path> s = Files.list(dir.resolve("vault/tmp"))) {
                assertThat(s).isEmpty();
            }
            assertThat(v.custody().records()).singleElement().satisfies(r -> {
                assertThat(r.action()).isEqualTo(CustodyAction.STORE);
                assertThat(r.outcome()).isEqualTo("mismatch");
            });
            // the right hash, spelled as a digest, goes in
            String right = "sha256:" + TestData.sha256sum(archive).toUpperCase();
            assertThat(v.store(StoreRequest.ofFile(archive, provenance("x"), TestData.tester()).withExpectedSha256(right)).item().id())
                    .isEqualTo(TestData.sha256sum(archive));
        }
    }

    @Test
    void storesAStreamAndReadsItBackVerified() {
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(5).nextBytes(bytes);
        try (Vault v = open()) {
            String id = v.store(new StoreRequest(new StoreRequest.StreamSource(new ByteArrayInputStream(bytes), bytes.length),
                    provenance("s"), null, TestData.tester(), null, null)).item().id();
            assertThat(id).isEqualTo(Hashes.sha256Hex(bytes));
            assertThat(v.item(id).manifest().format()).isEqualTo("unknown");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(v.read(id, out, TestData.tester(), "review", null)).isEqualTo(bytes.length);
            assertThat(out.toByteArray()).isEqualTo(bytes);
        }
    }

    @Test
    void filesArePrivateToTheService() throws Exception {
        try (Vault v = open()) {
            String id = v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester())).item().id();
            Path root = dir.resolve("vault");
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.toList()) {
                    String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    if (p.getFileName().toString().endsWith(".pub.pem")) assertThat(perms).isEqualTo("rw-r--r--");
                    else if (Files.isDirectory(p)) assertThat(perms).as(p.toString()).isEqualTo("rwx------");
                    else assertThat(perms).as(p.toString()).isEqualTo("rw-------");
                }
            }
            assertThat(root.resolve("objects").resolve(id.substring(0, 2)).resolve(id)).isRegularFile();
        }
    }

    @Test
    void getWritesTheFileOnlyWhenTheHashMatches() throws Exception {
        Path archive = TestData.checkpoint("benign-web.tar.zst");
        try (Vault v = open()) {
            String id = v.store(StoreRequest.ofFile(archive, null, TestData.tester())).item().id();
            Path out = dir.resolve("out.tar.zst");
            v.get(id, out, TestData.tester(), null, null);
            assertThat(TestData.sha256sum(out)).isEqualTo(TestData.sha256sum(archive));
            assertThatThrownBy(() -> v.get(id, out, TestData.tester(), null, null)).hasMessageContaining("refusing to overwrite");
        }
    }

    @Test
    void deletionIsRefusedAndRecorded() {
        try (Vault v = open()) {
            String id = v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester())).item().id();
            assertThatThrownBy(() -> v.delete(id, new Actor("mallory", "10.0.0.9", "cli"), "cleanup"))
                    .hasMessageContaining("append-only");
            assertThat(v.custody().records().getLast()).satisfies(r -> {
                assertThat(r.action()).isEqualTo(CustodyAction.DELETE);
                assertThat(r.who()).isEqualTo("mallory");
                assertThat(r.host()).isEqualTo("10.0.0.9");
                assertThat(r.reason()).isEqualTo("cleanup");
                assertThat(r.outcome()).isEqualTo("refused");
            });
            assertThat(v.verify(id, TestData.tester(), null).ok()).isTrue();
        }
    }

    @Test
    void unknownIdsAreOneLineErrors() {
        try (Vault v = open()) {
            assertThatThrownBy(() -> v.item("abcdef12")).isInstanceOf(ItemNotFoundException.class).hasMessageStartingWith("no item abcdef12");
            assertThatThrownBy(() -> v.item("../../etc")).isInstanceOf(ItemNotFoundException.class).hasMessageContaining("not an item id");
        }
    }
}
