package dev.stasis.checkpoint.archive;

import java.nio.ByteBuffer;

/** A member kept in memory. */
record BytesContent(byte[] bytes) implements SeekableContent {
    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public int read(long position, ByteBuffer dst) {
        if (position < 0) throw new IllegalArgumentException("negative position");
        if (position >= bytes.length) return -1;
        int n = (int) Math.min(dst.remaining(), bytes.length - position);
        dst.put(bytes, (int) position, n);
        return n;
    }
}
