package dev.stasis.evidence.internal;

import dev.stasis.evidence.Hashes;
import dev.stasis.evidence.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/** Copies a stream while hashing it with SHA-256 and keeping its first bytes; reports progress. */
public final class HashingCopy {
    public static final int BUFFER = 1 << 20;
    public static final int HEAD = 512;

    private final MessageDigest digest = Hashes.sha256();
    private final byte[] head = new byte[HEAD];
    private int headLength;
    private long size;

    /** Copies all of {@code in} to {@code out} (which may be null to only hash). */
    public HashingCopy copy(InputStream in, OutputStream out, long total, ProgressListener progress) throws IOException {
        byte[] buf = new byte[BUFFER];
        long lastReport = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            if (n == 0) continue;
            update(buf, 0, n);
            if (out != null) out.write(buf, 0, n);
            if (size - lastReport >= (8 << 20)) {
                progress.progress(size, total);
                lastReport = size;
            }
        }
        progress.progress(size, total);
        return this;
    }

    public void update(byte[] buf, int off, int n) {
        digest.update(buf, off, n);
        if (headLength < HEAD) {
            int k = Math.min(HEAD - headLength, n);
            System.arraycopy(buf, off, head, headLength, k);
            headLength += k;
        }
        size += n;
    }

    private String hex;

    /** The SHA-256 of everything copied; the copy is finished once this is asked for. */
    public String sha256() {
        if (hex == null) hex = Hashes.hex(digest);
        return hex;
    }

    public long size() {
        return size;
    }

    public byte[] head() {
        return Arrays.copyOf(head, headLength);
    }
}
