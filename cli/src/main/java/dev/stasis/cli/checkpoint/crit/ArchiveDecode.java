package dev.stasis.cli.checkpoint.crit;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.criu.CritBatch;
import dev.stasis.cli.support.Terminal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code crit decode -i ARCHIVE -o DIR}: DIR/NAME.json for every image of the archive's
 * checkpoint/ directory, each what {@code crit decode -i NAME} prints. One JVM and one
 * read of the archive instead of one crit process per image. DIR must be new or empty,
 * and every file is created new inside it, so nothing else is ever overwritten.
 */
final class ArchiveDecode {
    private ArchiveDecode() {}

    static List<CritBatch.Result> run(Path archive, Path dir, boolean pretty) {
        boolean create = refuseUnusable(dir);
        try (CheckpointArchive a = CheckpointArchive.open(archive)) {
            var images = a.images();
            if (images.names().isEmpty()) throw new CheckpointException(archive + ": no CRIU images (no checkpoint/ directory)");
            if (create) create(dir); // only once the archive has opened: a bad archive leaves nothing behind
            List<CritBatch.Result> results;
            try (Bar bar = Bar.create(images.names().size())) {
                results = CritBatch.decodeAll(images, pretty, bar);
            }
            for (CritBatch.Result r : results) {
                if (r instanceof CritBatch.Decoded d) write(dir, d);
            }
            return results;
        }
    }

    /** Refuses DIR when it is a file or a non-empty directory; true when it does not exist yet. */
    private static boolean refuseUnusable(Path dir) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new CheckpointException(dir + ": exists and is not a directory");
        }
        if (!Files.isDirectory(dir)) return true;
        try (var s = Files.list(dir)) {
            if (s.findAny().isPresent()) throw new CheckpointException(dir + ": directory is not empty (give a new or empty one)");
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + dir + ": " + reason(e));
        }
        return false;
    }

    private static void create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException("cannot create " + dir + ": " + reason(e));
        }
    }

    private static void write(Path dir, CritBatch.Decoded d) {
        String file = d.name() + ".json";
        // Names come from the archive: only a plain file name, resolved to a child of DIR, is written.
        if (file.contains("/") || file.contains("\0") || file.startsWith(".") || !dir.resolve(file).getParent().equals(dir)) {
            throw new CheckpointException("refusing to write image name " + d.name() + " (not a plain file name)");
        }
        try {
            Files.write(dir.resolve(file), d.json().getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + dir.resolve(file) + ": " + reason(e));
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof NoSuchFileException) return "no such directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A progress bar on stderr while images decode, only when a person is watching, gone once done. */
    private record Bar(ProgressBar bar) implements IntConsumer, AutoCloseable {
        static Bar create(int total) {
            if (!Terminal.interactive()) return new Bar(null);
            return new Bar(new ProgressBarBuilder().setTaskName("decoding").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).hideEta().clearDisplayOnFinish().build());
        }

        @Override
        public void accept(int done) {
            if (bar != null) bar.stepTo(done);
        }

        @Override
        public void close() {
            if (bar != null) bar.close();
        }
    }
}
