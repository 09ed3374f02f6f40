package dev.stasis.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Random access to one raw {@code pages-<id>.img}. Implementations read in
 * place where they can (a plain directory, an uncompressed tar) so that a
 * search streams the page cache rather than the heap.
 */
public interface PageFile {
    long size();

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns the count, -1 at the end. */
    int read(long position, ByteBuffer dst) throws IOException;

    /**
     * The bytes {@code [position, position+length)} mapped in place (read-only, little-endian),
     * or null when this file cannot be mapped (compressed archives). Mapping lets a search scan
     * the page cache without copying, as ripgrep does.
     */
    default java.nio.ByteBuffer map(long position, int length) throws IOException {
        return null;
    }

    /**
     * A single pass over the whole file from offset 0 when that is far cheaper than random
     * access (a compressed archive: random access would first decompress every page image into
     * a spill file), else null. A search then scans the stream as it is decompressed.
     */
    default ReadableByteChannel sequential() throws IOException {
        return null;
    }

    /**
     * Keeps a copy of bytes seen during a {@link #sequential()} pass so that later reads of them
     * (the context around a hit) need no random access. Implementations may ignore it.
     */
    default void remember(long position, byte[] bytes) {}

    /** Fills {@code dst} completely or fails: a short pages file is a truncated checkpoint. */
    default void readFully(long position, ByteBuffer dst) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = read(pos, dst);
            if (n < 0) throw new MemoryException("pages image ends at " + size() + " bytes, expected data at offset " + pos);
            pos += n;
        }
    }
}
