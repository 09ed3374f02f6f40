package dev.stasis.evidence;

/**
 * The storage under the vault failed (disk full, permission, S3 unreachable or
 * refusing). Thrown after whatever was half-written has been cleaned up; items
 * stored before are untouched.
 */
public final class StorageException extends EvidenceException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
