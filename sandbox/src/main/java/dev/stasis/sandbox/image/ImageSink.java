package dev.stasis.sandbox.image;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A destination for the blobs and the manifest of one image. Blobs go first and the manifest
 * last, so a reader never sees a manifest whose blobs are missing; {@link #commit} makes the
 * image visible at its final name, {@link #abort} removes whatever was written.
 */
interface ImageSink extends AutoCloseable {
    /** A stream for the layer blob, whose digest is known only once it is written. */
    OutputStream layer() throws IOException;

    /** The layer stream is complete: file it under its digest. */
    void layerDone(String digest, long size) throws IOException;

    void blob(String digest, byte[] data) throws IOException;

    /** Stores the manifest under the tag; returns the digest the destination reports (or ours). */
    String manifest(String digest, byte[] manifest, String tag, java.util.Map<String, String> annotations) throws IOException;

    void commit() throws IOException;

    /** Best effort: removes what this sink wrote; never throws. */
    void abort();

    @Override
    default void close() {}
}
