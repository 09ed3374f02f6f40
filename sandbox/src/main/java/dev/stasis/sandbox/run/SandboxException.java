package dev.stasis.sandbox.run;

/** A sandbox run refused or failed; the message is one line for the analyst ("stasis: " is added by the CLI). */
public final class SandboxException extends RuntimeException {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
