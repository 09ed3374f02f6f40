package dev.stasis.workbench;

/** The workbench cannot start or serve as configured; the message is one line. */
public final class WorkbenchException extends RuntimeException {
    public WorkbenchException(String message) {
        super(message);
    }

    public WorkbenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
