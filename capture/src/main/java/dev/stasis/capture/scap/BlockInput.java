package dev.stasis.capture.scap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * The (possibly decompressing) capture stream seen through one large buffer, so
 * that event blocks are parsed where they lie instead of being copied out one by
 * one. {@link #ensure} makes a whole block contiguous at {@link #pos()}; the buffer
 * grows only as data actually arrives, so a lying block length cannot make it
 * allocate more than the capture holds. Read errors of the decompressor become
 * {@link ScapFormatException}s at the current offset.
 */
final class BlockInput {
    private static final int CHUNK = 1 << 19;

    private final InputStream src;
    private byte[] buf = new byte[CHUNK];
    private int pos;
    private int lim;
    /** Offset in the uncompressed stream of buf[0]. */
    private long base;
    private boolean eof;

    BlockInput(InputStream src) {
        this.src = src;
    }

    byte[] buf() { return buf; }
    int pos() { return pos; }
    int available() { return lim - pos; }
    /** Offset in the uncompressed stream of the next unread byte. */
    long position() { return base + pos; }

    void skip(int n) {
        pos += n;
    }

    /**
     * Makes at least {@code n} bytes available from {@link #pos()} (moving the unread
     * bytes to the start of the buffer or growing it); false if the stream ends first.
     * Moving invalidates offsets into the buffer taken before the call.
     */
    boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (eof) {
            return false;
        }
        if (pos > 0) {
            int left = lim - pos;
            System.arraycopy(buf, pos, buf, 0, left);
            base += pos;
            pos = 0;
            lim = left;
        }
        while (lim < n) {
            if (lim == buf.length) {
                // grow with the data present, never straight to a claimed length
                buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) n, buf.length * 2L)));
            }
            int r = read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
                return false;
            }
            lim += r;
        }
        return true;
    }

    /** Copies the next {@code len} bytes out (for metadata blocks); fewer if the stream ends. */
    byte[] take(int len) throws IOException {
        byte[] out = new byte[Math.min(len, CHUNK)];
        int got = 0;
        while (got < len) {
            if (pos == lim) {
                if (eof) {
                    break;
                }
                base += lim;
                pos = 0;
                lim = 0;
                int r = read(buf, 0, buf.length);
                if (r < 0) {
                    eof = true;
                    break;
                }
                lim = r;
                continue;
            }
            int n = Math.min(len - got, lim - pos);
            if (got + n > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(len, Math.max((long) got + n, out.length * 2L)));
            }
            System.arraycopy(buf, pos, out, got, n);
            pos += n;
            got += n;
        }
        return got == len ? out : Arrays.copyOf(out, got);
    }

    private int read(byte[] b, int off, int len) throws IOException {
        try {
            int r;
            do {
                r = src.read(b, off, len);
            } while (r == 0);
            return r;
        } catch (EOFException e) {
            throw new ScapFormatException(position(), "truncated compressed stream");
        } catch (ZipException e) {
            throw new ScapFormatException(position(), "corrupt gzip stream: " + e.getMessage());
        }
    }

    void close() throws IOException {
        src.close();
    }
}
