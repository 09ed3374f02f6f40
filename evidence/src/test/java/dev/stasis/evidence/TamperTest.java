package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each part of a stored item altered after the fact, and stasis naming the part. */
class TamperTest {
    @TempDir
    Path dir;
    Path root;
    String id;
    String other;

    @BeforeEach
    void store() {
        root = dir.resolve("vault");
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            id = v.store(StoreRequest.ofFile(TestData.checkpoint("irc-bot.tar.zst"), Provenance.builder().namespace("jupyter").pod("nb-0").build(), TestData.tester())).item().id();
            other = v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), Provenance.builder().namespace("web").build(), TestData.tester())).item().id();
        }
    }

    private Vault open() {
        return Vault.open(VaultConfig.local(root));
    }

    private Path object(String item) {
        return root.resolve("objects").resolve(item.substring(0, 2)).resolve(item);
    }

    private Path manifest(String item) {
        return root.resolve("manifests").resolve(item + ".json");
    }

    @Test
    void oneFlippedArchiveByteIsNamedAndGetRefusesLeavingNoFile() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(object(id).toFile(), "rw")) {
            f.seek(1000);
            int b = f.read();
            f.seek(1000);
            f.write(b ^ 0x01);
        }
        try (Vault v = open()) {
            VerifyResult r = v.verify(id, TestData.tester(), null);
            assertThat(r.ok()).isFalse();
            assertThat(r.problems()).singleElement().satisfies(p -> {
                assertThat(p.part()).isEqualTo(Part.ARCHIVE);
                assertThat(p.message()).contains("archive bytes of " + id + " were altered");
            });
            assertThat(r.sha256()).isEqualTo(TestData.sha256sum(object(id)));
            Path out = dir.resolve("out.tar.zst");
            assertThatThrownBy(() -> v.get(id, out, TestData.tester(), null, null))
                    .isInstanceOf(TamperedException.class).hasMessageContaining("were altered");
            assertThat(out).doesNotExist();
            try (var s = Files.list(dir)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("vault");
            }
            // the other item is untouched
            assertThat(v.verifyAll(TestData.tester(), null)).filteredOn(VerifyResult::ok).extracting(VerifyResult::id).containsExactly(other);
        }
    }

    @Test
    void aTruncatedOrMissingArchiveIsNamed() throws Exception {
        Files.write(object(id), new byte[0]);
        Files.delete(object(other));
        try (Vault v = open()) {
            List<VerifyResult> rs = v.verifyAll(TestData.tester(), null);
            assertThat(rs).allSatisfy(r -> assertThat(r.problems()).extracting(Problem::part).containsExactly(Part.ARCHIVE));
            assertThat(rs).flatExtracting(VerifyResult::problems).extracting(Problem::message)
                    .anySatisfy(m -> assertThat(m).contains("missing"));
        }
    }

    @Test
    void anEditedManifestIsNamedAsTheManifest() throws Exception {
        String json = Files.readString(manifest(id));
        Files.writeString(manifest(id), json.replace("\"jupyter\"", "\"kube-system\""));
        try (Vault v = open()) {
            VerifyResult r = v.verify(id, TestData.tester(), null);
            assertThat(r.problems()).extracting(Problem::part).containsExactly(Part.MANIFEST);
            assertThat(r.problems().getFirst().message()).contains("manifest of " + id + " was edited");
            assertThatThrownBy(() -> v.item(id)).isInstanceOf(TamperedException.class);
            assertThat(v.list()).extracting(EvidenceItem::id).containsExactly(other);
            // a further store must not launder the edit by re-signing it
            assertThatThrownBy(() -> v.store(StoreRequest.ofFile(TestData.checkpoint("irc-bot.tar.zst"), null, TestData.tester())))
                    .isInstanceOf(TamperedException.class);
        }
    }

    @Test
    void anAddedManifestMemberIsCaughtToo() throws Exception {
        String json = Files.readString(manifest(id));
        Files.writeString(manifest(id), json.replaceFirst("\\{", "{\"approvedBy\":\"nobody\","));
        try (Vault v = open()) {
            assertThat(v.verify(id, TestData.tester(), null).problems()).extracting(Problem::part).containsExactly(Part.MANIFEST);
        }
    }

    @Test
    void anAlteredSignatureIsNamedAsTheSignature() throws Exception {
        String json = Files.readString(manifest(id));
        var m = java.util.regex.Pattern.compile("\"signature\" : \"([^\"]+)\"").matcher(json);
        assertThat(m.find()).isTrue();
        byte[] sig = java.util.Base64.getDecoder().decode(m.group(1));
        sig[10] ^= 0x40;
        Files.writeString(manifest(id), json.replace(m.group(1), java.util.Base64.getEncoder().encodeToString(sig)));
        Files.writeString(manifest(other), Files.readString(manifest(other)).replaceAll("\"signature\" : \"[^\"]+\"", "\"signature\" : \"bm90IGEgc2ln\""));
        try (Vault v = open()) {
            assertThat(v.verify(id, TestData.tester(), null).problems()).singleElement().satisfies(p -> {
                assertThat(p.part()).isEqualTo(Part.SIGNATURE);
                assertThat(p.message()).contains("signature of " + id + "'s manifest was altered");
            });
            assertThat(v.verify(other, TestData.tester(), null).problems()).extracting(Problem::part).containsExactly(Part.SIGNATURE);
        }
    }

    @Test
    void aManifestSignedByAnotherKeyIsRefused() throws Exception {
        // someone replaces the manifest with one re-signed by their own vault's key
        Path forged = dir.resolve("forger");
        try (Vault f = Vault.open(VaultConfig.local(forged))) {
            f.store(StoreRequest.ofFile(TestData.checkpoint("irc-bot.tar.zst"), Provenance.builder().namespace("kube-system").build(), TestData.tester()));
        }
        Files.copy(forged.resolve("manifests").resolve(id + ".json"), manifest(id), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Vault v = open()) {
            assertThat(v.verify(id, TestData.tester(), null).problems()).singleElement().satisfies(p -> {
                assertThat(p.part()).isEqualTo(Part.SIGNATURE);
                assertThat(p.message()).contains("not this vault's key");
            });
        }
    }

    @Test
    void aMissingOrGarbledManifestIsNamed() throws Exception {
        Files.writeString(manifest(id), "{ not json", StandardCharsets.UTF_8);
        try (Vault v = open()) {
            assertThat(v.verify(id, TestData.tester(), null).problems()).extracting(Problem::part).containsExactly(Part.MANIFEST);
        }
    }

    @Test
    void aManifestMovedToAnotherItemIsNamed() throws Exception {
        Files.copy(manifest(other), manifest(id), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Vault v = open()) {
            assertThat(v.verify(id, TestData.tester(), null).problems()).singleElement().satisfies(p -> {
                assertThat(p.part()).isEqualTo(Part.MANIFEST);
                assertThat(p.message()).contains("describes " + other);
            });
        }
    }
}
