package dev.stasis.sandbox.manifest;

/** Restore manifests cannot be made for this input or these options; the message is one line. */
public final class ManifestException extends RuntimeException {
    public ManifestException(String message) {
        super(message);
    }
}
