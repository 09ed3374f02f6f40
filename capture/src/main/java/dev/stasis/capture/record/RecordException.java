package dev.stasis.capture.record;

/** A recording that cannot start or finish; the message is one line for the user ("no such process: 42"). */
public final class RecordException extends RuntimeException {
    public RecordException(String message) {
        super(message);
    }

    public RecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
