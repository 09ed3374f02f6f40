package dev.stasis.memory;

import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.ImageReader;
import dev.stasis.checkpoint.criu.ImageFormatException;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * The small images of a {@link MemorySource}, decoded by checkpoint's image reader (the one
 * reader of CRIU's format). A damaged image is a {@link MemoryException} naming it, so that
 * memory's callers see one kind of error whichever part of an image is broken.
 */
final class SourceImages {
    private SourceImages() {}

    /** The named image decoded, or empty when {@code names} does not list it. */
    static Optional<CriuImage> read(MemorySource src, Set<String> names, String name) throws IOException {
        Optional<byte[]> b = names.contains(name) ? src.image(name) : Optional.empty();
        return b.map(bytes -> decode(name, bytes));
    }

    static CriuImage decode(String name, byte[] bytes) {
        try {
            return ImageReader.read(bytes);
        } catch (ImageFormatException e) {
            throw damaged(name, e);
        }
    }

    /** memory's errors are MemoryExceptions that name the image. */
    static MemoryException damaged(String image, ImageFormatException e) {
        String m = e.getMessage();
        return new MemoryException(m.startsWith(image) ? m : image + ": " + m, e);
    }
}
