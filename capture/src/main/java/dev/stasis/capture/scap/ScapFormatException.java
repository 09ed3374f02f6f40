package dev.stasis.capture.scap;

/**
 * A capture file that does not follow the scap format. Carries the file offset
 * (in the decompressed stream) of the block where reading stopped, so the
 * analyst can find the damage.
 */
public final class ScapFormatException extends RuntimeException {
    private final long offset;

    public ScapFormatException(long offset, String message) {
        super(message + " (block at offset " + offset + ")");
        this.offset = offset;
    }

    public ScapFormatException(long offset, String message, Throwable cause) {
        super(message + " (block at offset " + offset + ")", cause);
        this.offset = offset;
    }

    /** Offset of the offending block in the uncompressed capture. */
    public long offset() {
        return offset;
    }
}
