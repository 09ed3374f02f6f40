package dev.stasis.evidence;

/**
 * The bytes received do not hash to what the source said they would (a store
 * with an expected SHA-256 taken at the node, or a read that found different
 * bytes than the manifest records). Nothing is made visible when this is thrown.
 */
public final class HashMismatchException extends EvidenceException {
    private final String expected;
    private final String actual;

    public HashMismatchException(String message, String expected, String actual) {
        super(message);
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
