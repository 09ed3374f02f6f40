package dev.stasis.sandbox.image;

/**
 * A checkpoint image could not be built or delivered. The message is one line, fit for
 * {@code stasis: <message>}. Nothing half-written is left at the destination when this is thrown.
 */
public sealed class ImageException extends RuntimeException
        permits ImageException.NotACheckpoint, ImageException.Registry, ImageException.Output {

    ImageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The input is readable but is not a container checkpoint (no config.dump/spec.dump/checkpoint/). */
    public static final class NotACheckpoint extends ImageException {
        public NotACheckpoint(String message) {
            super(message, null);
        }
    }

    /** The registry refused, could not be reached, or answered something a registry does not. */
    public static final class Registry extends ImageException {
        private final int status;

        public Registry(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** HTTP status of the failing answer, or 0 when there was none (unreachable, TLS). */
        public int status() {
            return status;
        }
    }

    /** The local destination (layout directory, archive file) cannot be written. */
    public static final class Output extends ImageException {
        public Output(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
