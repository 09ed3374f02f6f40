package dev.stasis.cli.sandbox;

import dev.stasis.cli.evidence.VaultOptions;
import dev.stasis.evidence.Actor;
import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * The checkpoint a sandbox command works on: a file or directory, or a vault item by id
 * (or unique prefix). A vault item is copied out hash-checked (the vault refuses a copy
 * whose SHA-256 does not match) into a private temporary directory, removed on close.
 */
final class SandboxInput implements AutoCloseable {
    private static final Pattern ITEM_ID = Pattern.compile("[0-9a-f]{6,64}");

    final Path path;
    /** The vault item id (full SHA-256), or null for a file. */
    final String item;
    private final Path tempDir;
    private final Vault vault;
    private final Actor actor;

    private SandboxInput(Path path, String item, Path tempDir, Vault vault, Actor actor) {
        this.path = path;
        this.item = item;
        this.tempDir = tempDir;
        this.vault = vault;
        this.actor = actor;
    }

    /** @param reason why the item is read, for its custody record (see {@link SandboxSource#reason()}) */
    static SandboxInput resolve(String arg, VaultOptions vaultOptions, String reason) {
        Path p = Path.of(arg);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || !ITEM_ID.matcher(arg).matches()) {
            if (!Files.exists(p)) throw new IllegalArgumentException("no such file: " + arg);
            return new SandboxInput(p, null, null, null, null);
        }
        Vault vault = vaultOptions.openExisting(); // a read: a missing vault is an error, never created
        Path dir = null;
        try {
            String id = vault.resolve(arg);
            Actor actor = vaultOptions.actor();
            dir = Files.createTempDirectory("stasis-sandbox-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path copy = dir.resolve(id + ".tar");
            vault.get(id, copy, actor, reason, null);
            return new SandboxInput(copy, id, dir, vault, actor);
        } catch (IOException e) {
            close(vault, dir);
            throw new java.io.UncheckedIOException("cannot make a private temporary directory: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(vault, dir);
            throw e;
        }
    }

    /** Records in the custody log what was made of the vault item (no-op for a file). */
    void custody(String reason, String outcome, String detail) {
        if (vault == null) return;
        vault.custody().append(CustodyAction.EXPORT, item, actor, reason, outcome, detail, null);
    }

    @Override
    public void close() {
        close(vault, tempDir);
    }

    private static void close(Vault vault, Path dir) {
        if (dir != null) {
            try (var s = Files.list(dir)) {
                for (Path f : s.toList()) Files.deleteIfExists(f);
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a leftover private temp copy is removed by the system's tmp cleaning
            }
        }
        if (vault != null) vault.close();
    }
}
