package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export bundle checked by the standard tools a third party has: sha256sum and openssl. */
class ExportTest {
    @TempDir
    Path dir;

    @Test
    void aThirdPartyChecksTheBundleWithSha256sumAndOpenssl() throws Exception {
        Path archive = TestData.checkpoint("fileless-miner.tar.gz");
        Path out = dir.resolve("bundle");
        String id;
        try (Vault v = Vault.open(VaultConfig.local(dir.resolve("vault")))) {
            id = v.store(StoreRequest.ofFile(archive, Provenance.builder().pod("miner").build(), TestData.tester())).item().id();
            ExportResult r = v.export(id, out, TestData.tester(), "court");
            assertThat(r.files()).contains("archive.tar.gz", "manifest.json", "manifest.json.sig", "public-key.pem", "SHA256SUMS", "custody.jsonl", "README.txt");
            assertThat(v.custody().records()).extracting(CustodyRecord::action).containsSubsequence(CustodyAction.STORE, CustodyAction.EXPORT);
        }
        TestData.Result sums = TestData.run(out, "sha256sum", "-c", "SHA256SUMS");
        assertThat(sums.exit()).as(sums.output()).isZero();
        assertThat(sums.output()).contains("archive.tar.gz: OK");
        assertThat(Files.readString(out.resolve("manifest.json"))).contains("\"sha256\":\"" + TestData.sha256sum(archive) + "\"");
        assertThat(Files.readString(out.resolve("custody.jsonl"))).contains("\"action\":\"STORE\"");

        assumeThat(TestData.onPath("openssl")).as("openssl is not installed: the signature check by a third party is skipped").isTrue();
        TestData.Result ok = TestData.run(out, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "public-key.pem", "-rawin",
                "-in", "manifest.json", "-sigfile", "manifest.json.sig");
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("Signature Verified Successfully");

        // a changed manifest fails the same check
        Files.writeString(out.resolve("manifest.json"), Files.readString(out.resolve("manifest.json")).replace("miner", "minor"));
        TestData.Result bad = TestData.run(out, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "public-key.pem", "-rawin",
                "-in", "manifest.json", "-sigfile", "manifest.json.sig");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.output()).contains("Signature Verification Failure");
    }
}
