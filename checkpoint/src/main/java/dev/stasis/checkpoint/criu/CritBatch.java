package dev.stasis.checkpoint.criu;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * {@code crit decode} over every image of a checkpoint in one pass: what crit
 * would print for each protobuf image, and which files it cannot decode (raw
 * page data, tmpfs tars, files that are not CRIU images) and why. Nothing is
 * written here; the caller decides where the JSON goes.
 */
public final class CritBatch {
    private CritBatch() {}

    /** The outcome for one file of the image set. */
    public sealed interface Result {
        String name();
    }

    /** The text {@code crit decode -i NAME} prints, newline included. */
    public record Decoded(String name, String json) implements Result {}

    /** A file crit cannot decode because it is not a protobuf image (raw pages, a tar, metadata). */
    public record Skipped(String name, String reason) implements Result {}

    /** A file that should be an image but is damaged; crit fails on it too. */
    public record Failed(String name, String message) implements Result {}

    /**
     * Decodes every file of {@code images} in name order.
     *
     * @param progress told the number of files handled so far, after each
     */
    public static List<Result> decodeAll(ImageSource images, boolean pretty, IntConsumer progress) {
        List<String> names = images.names();
        Result[] results = new Result[names.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Throwable[] helperFailure = new Throwable[1];
        // The images are independent and the archive is already in memory: a second thread takes every
        // other one (a whole-checkpoint decode is mostly CPU, and a JVM of its own has the second core
        // idle). Results keep the name order whoever decoded them.
        Thread helper = null;
        if (names.size() > 1 && Runtime.getRuntime().availableProcessors() > 1) {
            helper = Thread.ofPlatform().daemon().name("crit-decode").start(() -> {
                try {
                    for (int i; (i = next.getAndIncrement()) < names.size(); done.incrementAndGet()) {
                        results[i] = decode(images, names.get(i), pretty);
                    }
                } catch (Throwable t) {
                    helperFailure[0] = t;
                }
            });
        }
        int reported = 0; // progress is told once per file, in order, from this thread only
        for (int i; (i = next.getAndIncrement()) < names.size(); ) {
            results[i] = decode(images, names.get(i), pretty);
            for (int n = done.incrementAndGet(); reported < n; ) progress.accept(++reported);
        }
        if (helper != null) {
            try {
                helper.join(); // also makes the helper's results visible here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImageFormatException("interrupted while decoding images");
            }
            if (helperFailure[0] instanceof Error err) throw err;
            if (helperFailure[0] instanceof RuntimeException re) throw re;
        }
        while (reported < names.size()) progress.accept(++reported);
        return List.of(results);
    }

    private static String rawKind(ImageType type) {
        return switch (type) {
            case PAGES -> "raw memory pages";
            case TMPFS_IMG, TMPFS_DEV -> "tmpfs contents (tar.gz)";
            default -> "raw " + type.name().toLowerCase(java.util.Locale.ROOT) + " data";
        };
    }

    static Result decode(ImageSource images, String name, boolean pretty) {
        Optional<ImageType> byName = ImageType.byFileName(name);
        // crit goes by the magic, but the raw kinds have none: they are known only by their name.
        if (byName.isPresent() && byName.get().isRaw()) {
            return new Skipped(name, rawKind(byName.get()) + ", not a protobuf image");
        }
        Optional<InputStream> in = images.open(name);
        if (in.isEmpty()) return new Failed(name, "cannot be opened");
        try (InputStream s = in.get()) {
            CriuImage image;
            try {
                image = ImageReader.read(s);
            } catch (ImageFormatException e) {
                // A name criu never gives an image (descriptors.json): not damage, just not an image.
                if (byName.isEmpty()) return new Skipped(name, "not a CRIU image");
                return new Failed(name, e.getMessage());
            }
            return new Decoded(name, CritJson.decodeToString(image, pretty) + "\n");
        } catch (IOException | RuntimeException e) {
            return new Failed(name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
