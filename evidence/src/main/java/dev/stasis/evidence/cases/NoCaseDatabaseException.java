package dev.stasis.evidence.cases;

import java.nio.file.Path;

/** A command that only reads found no SQLite case database (no case was ever made there): nothing was created. */
public final class NoCaseDatabaseException extends CaseException {
    private final Path file;

    public NoCaseDatabaseException(Path file) {
        super("no case database at " + file);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
