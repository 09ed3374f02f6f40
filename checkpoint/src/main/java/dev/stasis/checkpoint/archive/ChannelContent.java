package dev.stasis.checkpoint.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** A window [offset, offset+size) of a file read with positional reads, so many readers can share the channel. */
record ChannelContent(FileChannel channel, long offset, long size) implements SeekableContent {
    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
        if (position < 0) throw new IllegalArgumentException("negative position");
        if (position >= size) return -1;
        long left = size - position;
        if (dst.remaining() > left) {
            ByteBuffer slice = dst.slice(dst.position(), (int) left);
            int n = channel.read(slice, offset + position);
            if (n > 0) dst.position(dst.position() + n);
            return n;
        }
        return channel.read(dst, offset + position);
    }

    @Override
    public boolean mappable() {
        return true;
    }

    /** Maps the window of the file in place: a plain tar's page image is a contiguous run of the tar. */
    @Override
    public ByteBuffer map(long position, long length) throws IOException {
        checkRange(position, length);
        return channel.map(FileChannel.MapMode.READ_ONLY, offset + position, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    InputStream stream() {
        return new InputStream() {
            private long pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                int n = ChannelContent.this.read(pos, ByteBuffer.wrap(b, off, len));
                if (n > 0) pos += n;
                return n;
            }

            @Override
            public long skip(long n) {
                long skipped = Math.max(0, Math.min(n, size - pos));
                pos += skipped;
                return skipped;
            }

            @Override
            public int available() {
                return (int) Math.min(Integer.MAX_VALUE, size - pos);
            }
        };
    }
}
