package dev.stasis.memory;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The CRIU images of one checkpoint as the memory module needs them: small
 * images (mm, pagemap, core, pstree, files, memfd) as bytes, raw page images
 * with random access. Adapters exist for an image directory
 * ({@link DirectoryMemorySource}) and for checkpoint archives.
 */
public interface MemorySource extends Closeable {
    /** Image file names (without a directory), e.g. {@code pagemap-1.img}. */
    List<String> names();

    /** The whole content of a small image, if present. */
    Optional<byte[]> image(String name) throws IOException;

    /** Random access to a raw pages image, if present. */
    Optional<PageFile> pages(String name) throws IOException;

    @Override
    default void close() throws IOException {}
}
