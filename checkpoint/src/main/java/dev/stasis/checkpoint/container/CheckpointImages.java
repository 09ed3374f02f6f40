package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.ImageSource;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint's CRIU images, decoded once each. A damaged optional image does not stop the
 * model from loading: it is recorded as a warning and treated as absent, so one bad image hides
 * only what it holds.
 */
final class CheckpointImages {
    private final ImageSource source;
    private final List<String> warnings;
    private final Map<String, Optional<CriuImage>> cache = new HashMap<>();

    CheckpointImages(ImageSource source, List<String> warnings) {
        this.source = source;
        this.warnings = warnings;
    }

    List<String> names() {
        return source.names();
    }

    boolean contains(String name) {
        return source.contains(name);
    }

    Optional<CriuImage> optional(String name) {
        return cache.computeIfAbsent(name, n -> {
            if (!source.contains(n)) return Optional.empty();
            try {
                return source.image(n);
            } catch (CheckpointException | UncheckedIOException e) {
                warnings.add(n + ": " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** An image the model cannot do without: its absence or damage is an error. */
    CriuImage required(String name) {
        if (!source.contains(name)) throw new CheckpointException("checkpoint has no " + name + " (not a CRIU checkpoint, or an incomplete one)");
        try {
            return source.image(name).orElseThrow();
        } catch (UncheckedIOException e) {
            throw new CheckpointException(name + ": " + e.getMessage(), e);
        }
    }

    ImageSource source() {
        return source;
    }
}
