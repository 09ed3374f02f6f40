package dev.stasis.checkpoint.archive;

import dev.stasis.checkpoint.CheckpointException;

/** A checkpoint archive that cannot be read safely: unknown magic, truncation, a lying size, a hostile name, a limit. */
public class ArchiveException extends CheckpointException {
    public ArchiveException(String message) {
        super(message);
    }

    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
