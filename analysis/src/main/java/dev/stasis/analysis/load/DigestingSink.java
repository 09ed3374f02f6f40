package dev.stasis.analysis.load;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where streamed content goes when analysis needs its SHA-256, its length and its first
 * bytes (for typing and scanning) but never the whole of it: nothing reaches the disk and
 * memory stays bounded by the head kept.
 */
final class DigestingSink extends OutputStream {
    private final MessageDigest sha256;
    private final ByteArrayOutputStream head;
    private final int keep;
    private long count;

    /** @param keep how many leading bytes to keep (0: none) */
    DigestingSink(int keep) {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        this.keep = keep;
        this.head = new ByteArrayOutputStream(Math.min(keep, 1 << 16));
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        sha256.update(b, off, len);
        if (head.size() < keep) head.write(b, off, Math.min(len, keep - head.size()));
        count += len;
    }

    long count() {
        return count;
    }

    byte[] head() {
        return head.toByteArray();
    }

    /** The hex digest; call once, after the last write. */
    String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
