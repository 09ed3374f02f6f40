package dev.stasis.sandbox.image;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Passes bytes through while taking their SHA-256 and count: digests come from the one pass that writes. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest sha;
    private long count;

    HashingOutputStream(OutputStream out) {
        super(out);
        sha = sha256();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String digest(byte[] data) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(data));
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    /** {@code sha256:HEX}; call once, after the last write. */
    String digest() {
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    /** An output stream whose close() only flushes: the layer's wrappers must not close the sink under them. */
    static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }
}
