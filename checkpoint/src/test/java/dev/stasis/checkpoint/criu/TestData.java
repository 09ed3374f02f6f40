package dev.stasis.checkpoint.criu;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** The bundled real checkpoints, read in memory (never unpacked to disk). */
final class TestData {
    private TestData() {}

    static Path root() {
        String prop = System.getProperty("stasis.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "testdata"))) return Path.of(prop);
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no testdata/ above " + Path.of("").toAbsolutePath());
        return p;
    }

    static Path checkpoints() {
        return root().resolve("testdata/checkpoints");
    }

    /** Every archive that has crit ground truth. */
    static List<Path> archives() {
        try (Stream<Path> s = Files.list(checkpoints().resolve("crit"))) {
            return s.map(d -> checkpoints().resolve(d.getFileName().toString())).filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path archive(String name) {
        return checkpoints().resolve(name);
    }

    /** The checkpoint/ members of an archive, by file name, in memory. */
    static Map<String, byte[]> images(Path archive) {
        Map<String, byte[]> out = new TreeMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
                InputStream dec = decompress(archive, raw);
                TarArchiveInputStream tar = new TarArchiveInputStream(dec)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile() || !e.getName().startsWith("checkpoint/")) continue;
                String name = e.getName().substring("checkpoint/".length());
                if (name.contains("/")) continue;
                out.put(name, tar.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static InputStream decompress(Path archive, InputStream raw) throws IOException {
        String n = archive.getFileName().toString();
        if (n.endsWith(".zst")) return new ZstdInputStream(raw);
        if (n.endsWith(".gz")) return new GzipCompressorInputStream(raw);
        return raw;
    }

    /** crit's JSON for an image of an archive, if crit decoded it. */
    static Optional<String> critJson(Path archive, String image) {
        Path p = checkpoints().resolve("crit").resolve(archive.getFileName().toString()).resolve(image + ".json");
        try {
            return Files.exists(p) ? Optional.of(Files.readString(p)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An in-memory ImageSource over the archive's images. */
    static ImageSource source(Map<String, byte[]> images) {
        return new ImageSource() {
            @Override
            public List<String> names() {
                return new ArrayList<>(images.keySet());
            }

            @Override
            public Optional<InputStream> open(String name) {
                return Optional.ofNullable(images.get(name)).map(java.io.ByteArrayInputStream::new);
            }

            @Override
            public Optional<Long> size(String name) {
                return Optional.ofNullable(images.get(name)).map(b -> (long) b.length);
            }
        };
    }
}
