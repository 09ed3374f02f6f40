package dev.stasis.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A request to put an archive into the vault.
 *
 * @param source         where the bytes come from (read once, as a stream)
 * @param provenance     what the collector knows about them
 * @param expectedSha256 the SHA-256 taken at the source (hex), or null; a mismatch fails the store and leaves nothing
 * @param actor          who is storing (custody "who/where from")
 * @param reason         why (custody "why"), or null
 * @param progress       told about progress, or null
 */
public record StoreRequest(
        Source source, Provenance provenance, String expectedSha256, Actor actor, String reason, ProgressListener progress) {

    public StoreRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(actor, "actor");
        provenance = provenance == null ? Provenance.empty() : provenance;
        progress = progress == null ? ProgressListener.NONE : progress;
        if (expectedSha256 != null) expectedSha256 = Hashes.normalise(expectedSha256);
    }

    public static StoreRequest ofFile(Path archive, Provenance provenance, Actor actor) {
        return new StoreRequest(new FileSource(archive), provenance, null, actor, null, null);
    }

    public StoreRequest withExpectedSha256(String sha256) {
        return new StoreRequest(source, provenance, sha256, actor, reason, progress);
    }

    public StoreRequest withReason(String why) {
        return new StoreRequest(source, provenance, expectedSha256, actor, why, progress);
    }

    public StoreRequest withProgress(ProgressListener listener) {
        return new StoreRequest(source, provenance, expectedSha256, actor, reason, listener);
    }

    /** Where the bytes come from. */
    public sealed interface Source permits FileSource, StreamSource {
        InputStream open() throws IOException;

        /** Size when known in advance, else -1. */
        long size();
    }

    /** A file on this machine. */
    public record FileSource(Path path) implements Source {
        public InputStream open() throws IOException {
            return java.nio.file.Files.newInputStream(path);
        }

        public long size() {
            try {
                return java.nio.file.Files.size(path);
            } catch (IOException e) {
                return -1;
            }
        }
    }

    /**
     * A stream (e.g. straight from the kubelet's checkpoint response). It is
     * read exactly once; the vault does not close it before reading to the end.
     */
    public record StreamSource(InputStream stream, long size) implements Source {
        public InputStream open() {
            return stream;
        }
    }
}
