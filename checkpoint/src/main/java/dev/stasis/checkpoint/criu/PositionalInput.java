package dev.stasis.checkpoint.criu;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Random access to one image file, so that a decoder can index a large image without
 * loading it: an archive member's {@code SeekableContent}, memory's page files.
 */
@FunctionalInterface
public interface PositionalInput {
    /** Reads up to {@code dst.remaining()} bytes at {@code position}; the count, or -1 at the end. */
    int read(long position, ByteBuffer dst) throws IOException;
}
