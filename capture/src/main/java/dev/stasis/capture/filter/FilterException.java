package dev.stasis.capture.filter;

/**
 * A filter that does not parse or does not compile against the field registry.
 * The message is one line and, for syntax errors, names the 1-based column of
 * the offending token, so a user can find it in a long Falco condition.
 */
public final class FilterException extends RuntimeException {
    private final int column;
    private final String reason;

    public FilterException(String message, int column) {
        super(column > 0 ? message + " at column " + column : message);
        this.column = column;
        this.reason = message;
    }

    public FilterException(String message) {
        this(message, 0);
    }

    /** The message without the position, for conditions assembled from macros where a column means little. */
    public String reason() {
        return reason;
    }

    /** The 1-based column of the error, or 0 when it is not about one place in the text. */
    public int column() {
        return column;
    }
}
