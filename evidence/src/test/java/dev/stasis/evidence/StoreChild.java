package dev.stasis.evidence;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Random;

/**
 * Run in a child JVM by {@link KillDuringStoreTest}: stores a deterministic
 * stream and, halfway through, says MIDWAY and stalls so the parent can kill
 * it with SIGKILL at a known point of the store.
 *
 * <p>Args: {@code VAULT_ROOT [S3_ENDPOINT BUCKET]}.
 */
public final class StoreChild {
    static final long SIZE = 48L << 20;
    static final long STALL_AT = 22L << 20;

    public static void main(String[] args) throws Exception {
        VaultConfig cfg = VaultConfig.local(Path.of(args[0]));
        if (args.length > 2)
            cfg = cfg.withS3(S3Config.of(URI.create(args[1]), args[2], S3Server.ACCESS, S3Server.SECRET).withPartSize(S3Config.MIN_PART));
        // With S3, give the hash up front (as the response engine does) so the bytes go straight into a
        // multipart upload and the kill lands in the middle of it, not in a local spool.
        String expected = args.length > 2 ? expectedSha256() : null;
        try (Vault v = Vault.open(cfg)) {
            v.store(new StoreRequest(new StoreRequest.StreamSource(new Deterministic(SIZE, STALL_AT), SIZE),
                    Provenance.builder().pod("killed").build(), expected, new Actor("child", "localhost", "test"), null, null));
        }
        System.out.println("FINISHED");
    }

    static String expectedSha256() throws java.io.IOException {
        var d = Hashes.sha256();
        try (InputStream in = new Deterministic(SIZE, -1)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
        }
        return Hashes.hex(d);
    }

    /** Pseudo-random bytes from a fixed seed; optionally stalls forever once {@code stallAt} bytes were read. */
    static final class Deterministic extends InputStream {
        private final Random random = new Random(42);
        private final long size;
        private final long stallAt;
        private long pos;

        Deterministic(long size, long stallAt) {
            this.size = size;
            this.stallAt = stallAt;
        }

        @Override
        public int read() {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) return -1;
            if (stallAt >= 0 && pos >= stallAt) {
                System.out.println("MIDWAY");
                System.out.flush();
                while (true) {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            int n = (int) Math.min(len, Math.min(size - pos, 1 << 16));
            if (stallAt >= 0) n = (int) Math.min(n, stallAt - pos);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            pos += n;
            return n;
        }
    }
}
