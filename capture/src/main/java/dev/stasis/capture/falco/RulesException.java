package dev.stasis.capture.falco;

/** A rules file that cannot be loaded at all: unreadable, not YAML, or not a list of items. */
public final class RulesException extends RuntimeException {
    public RulesException(String message) {
        super(message);
    }

    public RulesException(String message, Throwable cause) {
        super(message, cause);
    }
}
