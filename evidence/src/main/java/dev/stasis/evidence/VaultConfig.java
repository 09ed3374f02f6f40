package dev.stasis.evidence;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the vault lives. {@code root} is always a local directory: it holds the
 * signing key, the custody log and the case database; with the local backend
 * it holds the items too, with S3 the items go to the bucket.
 *
 * @param root       the vault's local directory (created 0700 when missing)
 * @param s3         S3 storage for items, or null for the local directory
 * @param signingKey the Ed25519 private key (PKCS#8 PEM); null means {@code root/keys/signing.key},
 *                   generated on first store when missing. It may live outside the vault (a path only
 *                   the collector can read): the public key stays in the vault, {@link #publicKey()}
 */
public record VaultConfig(Path root, S3Config s3, Path signingKey) {
    public VaultConfig {
        Objects.requireNonNull(root, "root");
        root = root.toAbsolutePath().normalize();
        if (signingKey == null) signingKey = root.resolve("keys").resolve("signing.key");
        signingKey = signingKey.toAbsolutePath().normalize();
    }

    /** A local vault at {@code root}. */
    public static VaultConfig local(Path root) {
        return new VaultConfig(root, null, null);
    }

    /** The zero-configuration vault: {@code $STASIS_VAULT}, else {@code $XDG_DATA_HOME/stasis/vault}, else {@code ~/.local/share/stasis/vault}. */
    public static VaultConfig defaults() {
        return local(defaultRoot());
    }

    public static Path defaultRoot() {
        String env = System.getenv("STASIS_VAULT");
        if (env != null && !env.isBlank()) return Path.of(env);
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "stasis", "vault");
        return userHome().resolve(".local/share/stasis/vault");
    }

    /**
     * The user's home as the XDG base directories mean it: {@code $HOME}, and the passwd
     * entry (Java's {@code user.home}) only when HOME is unset. {@code HOME=/x stasis ...}
     * must not write below root's home because the passwd entry says so.
     */
    public static Path userHome() {
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    public VaultConfig withS3(S3Config config) {
        return new VaultConfig(root, config, signingKey);
    }

    public VaultConfig withSigningKey(Path key) {
        return new VaultConfig(root, s3, key);
    }

    /**
     * The vault's public key, {@code root/keys/signing.pub.pem}: it stays with the vault wherever the
     * private key lives, so that anyone who can read the vault can check it.
     */
    public Path publicKey() {
        return root.resolve("keys").resolve("signing.pub.pem");
    }

    /** The public half written next to a private key file {@code NAME.key}: {@code NAME.pub.pem}. */
    public static Path publicKeyBeside(Path privateKey) {
        String name = privateKey.getFileName().toString();
        String base = name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
        return privateKey.resolveSibling(base + ".pub.pem");
    }

    public Path custodyLog() {
        return root.resolve("custody.log");
    }

    /** The default case database: one SQLite file next to the vault's items. */
    public Path caseDatabase() {
        return root.resolve("cases.db");
    }
}
