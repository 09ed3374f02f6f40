package dev.stasis.checkpoint.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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

    /**
     * True when {@link #map} maps the bytes in place (a plain tar, an unpacked directory, a
     * compressed archive's spill file) rather than copying them.
     */
    default boolean mappable() {
        return false;
    }

    /**
     * The bytes {@code [position, position+length)} as a read-only, little-endian buffer: mapped
     * in place when {@link #mappable()} (a scan then reads the page cache without copying, as
     * ripgrep does), otherwise copied onto the heap. At most {@link Integer#MAX_VALUE} bytes.
     */
    default ByteBuffer map(long position, long length) throws IOException {
        checkRange(position, length);
        return ByteBuffer.wrap(readBytes(position, (int) length)).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Refuses a range outside the member or too long for one buffer. */
    default void checkRange(long position, long length) {
        if (position < 0 || length < 0 || length > Integer.MAX_VALUE || position > size() - length) {
            throw new ArchiveException("range " + position + "+" + length + " lies outside a member of " + size() + " bytes");
        }
    }

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
