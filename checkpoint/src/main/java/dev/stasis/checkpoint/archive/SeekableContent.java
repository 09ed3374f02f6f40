package dev.stasis.checkpoint.archive;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Random access to one member's bytes without copying the member: page images
 * are read at arbitrary offsets by the memory layer.
 */
public interface SeekableContent {
    long size();

    /**
     * Reads up to {@code dst.remaining()} bytes starting at {@code position}.
     *
     * @return bytes read, or -1 when {@code position >= size()}
     */
    int read(long position, ByteBuffer dst) throws IOException;

    /** Reads exactly {@code length} bytes at {@code position} (fewer only at the end of the member). */
    default byte[] readBytes(long position, int length) throws IOException {
        long available = Math.max(0, Math.min(length, size() - position));
        ByteBuffer buf = ByteBuffer.allocate((int) available);
        while (buf.hasRemaining()) {
            int n = read(position + buf.position(), buf);
            if (n <= 0) break;
        }
        return buf.position() == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
    }
}
