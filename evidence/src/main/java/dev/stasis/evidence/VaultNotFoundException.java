package dev.stasis.evidence;

import java.nio.file.Path;

/** A command that only reads found no vault where it was pointed (a mistyped path): nothing was created there. */
public final class VaultNotFoundException extends EvidenceException {
    private final Path root;

    public VaultNotFoundException(Path root, String message) {
        super(message);
        this.root = root;
    }

    /** Where the vault was looked for. */
    public Path root() {
        return root;
    }
}
