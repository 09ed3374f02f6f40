package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.CheckpointException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The images of a CRIU dump directory. Only regular files directly inside the
 * directory are served: names with a path separator or "..", and symbolic
 * links, are refused so an untrusted name can never reach outside it.
 */
public final class DirectoryImageSource implements ImageSource {
    private final Path dir;

    public DirectoryImageSource(Path dir) {
        if (!Files.isDirectory(dir)) throw new CheckpointException("not a directory: " + dir);
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public List<String> names() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<InputStream> open(String name) {
        return resolve(name).map(p -> {
            try {
                return Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new UncheckedIOException("opening " + p + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public Optional<Long> size(String name) {
        return resolve(name).map(p -> {
            try {
                return Files.size(p);
            } catch (IOException e) {
                throw new UncheckedIOException(p + ": " + e.getMessage(), e);
            }
        });
    }

    private Optional<Path> resolve(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                || name.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Path p = dir.resolve(name);
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
