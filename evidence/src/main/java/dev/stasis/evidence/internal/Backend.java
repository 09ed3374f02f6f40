package dev.stasis.evidence.internal;

import dev.stasis.evidence.ProgressListener;
import dev.stasis.evidence.StoreRequest;
import java.io.Closeable;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where item bytes and manifests live. A backend makes bytes visible under
 * their SHA-256 only after they were hashed in full (and matched the expected
 * hash, when one was given); the vault writes the manifest last, and an item
 * exists exactly when its manifest does.
 */
public sealed interface Backend extends Closeable permits LocalBackend, S3Backend {

    /** Streams the source in; throws {@link dev.stasis.evidence.HashMismatchException} (nothing kept) on a mismatch. */
    Put put(StoreRequest.Source source, String expectedSha256, ProgressListener progress);

    Optional<byte[]> readManifest(String id);

    /** Replaces the manifest atomically. */
    void writeManifest(String id, byte[] bytes);

    /** Removes a manifest this process just wrote (a store undone because the custody log could not record it). */
    void deleteManifest(String id);

    /** Ids that have a manifest (unsorted). */
    List<String> manifestIds();

    /** The item's bytes; {@link dev.stasis.evidence.StorageException} when missing or unreadable. */
    InputStream openObject(String id);

    /** Whether the item's bytes exist at all. */
    boolean hasObject(String id);

    String location(String id);

    /** One line for messages: {@code local /path} or {@code s3://bucket/prefix at endpoint}. */
    String describe();

    @Override
    void close();

    /**
     * Bytes stored.
     *
     * @param sha256   their SHA-256
     * @param size     their size
     * @param head     the first bytes (for sniffing the format)
     * @param storage  backend facts for the manifest (S3 version, lock, SSE)
     */
    record Put(String sha256, long size, byte[] head, Map<String, String> storage) {}
}
