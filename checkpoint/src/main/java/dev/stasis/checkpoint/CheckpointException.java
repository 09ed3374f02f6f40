package dev.stasis.checkpoint;

/**
 * Base of every error the checkpoint module reports about its input: a bad
 * archive, a malformed CRIU image, a missing member. The message is one line
 * that an analyst can act on; callers print it without a stack trace.
 */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
