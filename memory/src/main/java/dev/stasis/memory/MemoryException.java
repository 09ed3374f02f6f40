package dev.stasis.memory;

import dev.stasis.checkpoint.CheckpointException;

/** A memory image that cannot be read as a consistent address space; the message is one line. */
public class MemoryException extends CheckpointException {
    public MemoryException(String message) {
        super(message);
    }

    public MemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
