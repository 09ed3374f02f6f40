package dev.stasis.checkpoint.criu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * A set of CRIU images addressed by file name ("pstree.img", "core-1.img"),
 * such as a checkpoint directory or the checkpoint/ part of an archive.
 * Implementations are read-only.
 */
public interface ImageSource {
    /** File names of the images present, sorted. */
    List<String> names();

    /** A fresh stream over the named image, or empty if there is no such image. The caller closes it. */
    Optional<InputStream> open(String name);

    /** The image's size in bytes, if known and present. */
    Optional<Long> size(String name);

    default boolean contains(String name) {
        return names().contains(name);
    }

    /** Decodes the named image, or empty if absent. */
    default Optional<CriuImage> image(String name) {
        Optional<InputStream> in = open(name);
        if (in.isEmpty()) return Optional.empty();
        try (InputStream s = in.get()) {
            return Optional.of(ImageReader.read(s));
        } catch (ImageFormatException e) {
            throw new ImageFormatException(name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }
}
