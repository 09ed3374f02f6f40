package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.evidence.cases.CaseStore;
import dev.stasis.evidence.cases.NoCaseDatabaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening to read never creates a vault (a mistyped path is an error, not a new empty vault that
 * "verifies"), and the private key can live outside the vault it signs for.
 */
class ReadOnlyVaultTest {
    @TempDir
    Path dir;

    @Test
    void openingAMissingVaultToReadIsAnErrorAndCreatesNothing() {
        Path typo = dir.resolve("typo");
        assertThatThrownBy(() -> Vault.openExisting(VaultConfig.local(typo)))
                .isInstanceOf(VaultNotFoundException.class)
                .hasMessage("no vault at " + typo);
        assertThat(typo).doesNotExist();
        assertThatThrownBy(() -> CaseStore.openExisting(CaseStore.sqlite(typo.resolve("cases.db")), null, null))
                .isInstanceOf(NoCaseDatabaseException.class);
        assertThat(typo).doesNotExist();
    }

    @Test
    void aDirectoryThatIsNotAVaultIsNotOpenedEither() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        assertThatThrownBy(() -> Vault.openExisting(VaultConfig.local(plain))).isInstanceOf(VaultNotFoundException.class)
                .hasMessageContaining("no vault at " + plain);
        try (Stream<Path> s = Files.list(plain)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void anExistingVaultOpensToReadAndChecks() {
        Path root = dir.resolve("vault");
        String id;
        try (Vault v = Vault.open(VaultConfig.local(root))) {
            id = v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester())).item().id();
        }
        try (Vault v = Vault.openExisting(VaultConfig.local(root))) {
            assertThat(v.verify(id, TestData.tester(), null).ok()).isTrue();
            assertThat(v.unrecorded()).isEmpty();
            assertThat(v.custody().records()).extracting(CustodyRecord::action).containsExactly(CustodyAction.STORE, CustodyAction.VERIFY);
        }
    }

    @Test
    void theSigningKeyCanLiveOutsideTheVault() throws Exception {
        Path root = dir.resolve("vault");
        Path key = dir.resolve("collector/signing.key");
        VaultConfig cfg = VaultConfig.local(root).withSigningKey(key);
        String id;
        try (Vault v = Vault.open(cfg)) {
            id = v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester())).item().id();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(root.resolve("keys/signing.pub.pem")).exists();
        assertThat(root.resolve("keys/signing.key")).doesNotExist();
        // the public key in the vault is the private key's half, as openssl computes it (ground truth outside the JDK)
        TestData.Result pub = TestData.run(dir, "openssl", "pkey", "-in", key.toString(), "-pubout");
        assertThat(pub.exit()).as(pub.output()).isZero();
        assertThat(Files.readString(root.resolve("keys/signing.pub.pem")).strip()).isEqualTo(pub.output().strip());

        // someone who may read the vault but not the key: reads and checks work, and say what was not recorded
        try (Vault v = Vault.openExisting(VaultConfig.local(root))) {
            assertThat(v.verify(id, TestData.tester(), null).ok()).isTrue();
            assertThat(v.unrecorded()).containsExactly("VERIFY of " + id);
            assertThat(v.custody().verify().ok()).isTrue();
            assertThatThrownBy(() -> v.store(StoreRequest.ofFile(TestData.checkpoint("irc-bot.tar.zst"), null, TestData.tester())))
                    .isInstanceOf(SigningKeyException.class);
        }
        // another key is not this vault's key
        Path other = dir.resolve("other.key");
        Vault.keygen(other);
        assertThatThrownBy(() -> Vault.open(VaultConfig.local(root).withSigningKey(other)))
                .isInstanceOf(SigningKeyException.class).hasMessageContaining("is not the key of the vault");
        // an existing key and a new vault: the vault gets the key's public half
        Path second = dir.resolve("second");
        try (Vault v = Vault.open(VaultConfig.local(second).withSigningKey(key))) {
            v.store(StoreRequest.ofFile(TestData.checkpoint("irc-bot.tar.zst"), null, TestData.tester()));
        }
        assertThat(Files.readString(second.resolve("keys/signing.pub.pem"))).isEqualTo(Files.readString(root.resolve("keys/signing.pub.pem")));
    }
}
