package dev.stasis.capture.scap;

import java.io.IOException;
import java.io.InputStream;

/**
 * A plain read buffer over the (possibly decompressing) capture stream. Unlike
 * BufferedInputStream it never asks the source for available(), which costs a
 * system call per small read on files.
 */
final class ChunkedInput extends InputStream {
    private final InputStream src;
    private final byte[] buf = new byte[1 << 18];
    private int pos;
    private int lim;

    ChunkedInput(InputStream src) {
        this.src = src;
    }

    private boolean fill() throws IOException {
        int n = src.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    @Override
    public int read() throws IOException {
        if (pos >= lim && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos >= lim && !fill()) {
            return -1;
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    @Override
    public int readNBytes(byte[] dst, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = read(dst, off + done, len - done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    @Override
    public void close() throws IOException {
        src.close();
    }
}
