package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.CheckpointException;

/** A CRIU image that cannot be decoded: unknown magic, truncation, an impossible length, bad protobuf. */
public class ImageFormatException extends CheckpointException {
    public ImageFormatException(String message) {
        super(message);
    }

    public ImageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
