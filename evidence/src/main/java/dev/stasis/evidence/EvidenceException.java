package dev.stasis.evidence;

/**
 * Base of every error the evidence module reports. The message is one line an
 * analyst can act on (which item, which part, what to do); callers print it
 * without a stack trace.
 */
public class EvidenceException extends RuntimeException {
    public EvidenceException(String message) {
        super(message);
    }

    public EvidenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
