package dev.stasis.evidence;

/** The Ed25519 signing or verification key is missing, unreadable or not Ed25519. */
public final class SigningKeyException extends EvidenceException {
    public SigningKeyException(String message) {
        super(message);
    }

    public SigningKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
