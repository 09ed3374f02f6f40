package dev.stasis.memory.testing;

import dev.stasis.testsupport.ProjectFiles;
import com.github.luben.zstd.ZstdInputStream;
import dev.stasis.memory.MemorySource;
import dev.stasis.memory.PageFile;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Test-only access to the bundled checkpoints: the archive's CRIU images held
 * in memory (the fixtures are a few MB), read with commons-compress and
 * zstd-jni independently of the code under test.
 */
public final class Fixtures {
    private Fixtures() {}

    public static Path root() {
        return ProjectFiles.root();
    }

    public static Path checkpoint(String name) {
        return ProjectFiles.checkpoint(name);
    }

    public static Path crit(String archive, String image) {
        return root().resolve("testdata/checkpoints/crit").resolve(archive).resolve(image + ".json");
    }

    /** Every member under checkpoint/ of the archive, by file name. */
    public static Map<String, byte[]> images(String archive) {
        Path p = checkpoint(archive);
        Map<String, byte[]> out = new TreeMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
             InputStream in = archive.endsWith(".zst") ? new ZstdInputStream(raw) : archive.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String n = e.getName();
                if (n.startsWith("./")) n = n.substring(2);
                if (e.isFile() && n.startsWith("checkpoint/") && n.indexOf('/', "checkpoint/".length()) < 0)
                    out.put(n.substring("checkpoint/".length()), tar.readAllBytes());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out;
    }

    public static MemorySource source(String archive) {
        return source(images(archive));
    }

    public static MemorySource source(Map<String, byte[]> images) {
        return source(images, b -> pages(b, false));
    }

    /** The images as a memory source whose page images are the files {@code pageFiles} makes of their bytes. */
    public static MemorySource source(Map<String, byte[]> images, Function<byte[], PageFile> pageFiles) {
        return new MemorySource() {
            @Override
            public List<String> names() {
                return List.copyOf(images.keySet());
            }

            @Override
            public Optional<byte[]> image(String name) {
                return Optional.ofNullable(images.get(name));
            }

            @Override
            public Optional<PageFile> pages(String name) {
                byte[] b = images.get(name);
                return b == null ? Optional.empty() : Optional.of(pageFiles.apply(b));
            }
        };
    }

    /** A pages file over bytes in memory: read by copying, and also mapped when {@code mappable}. */
    public static PageFile pages(byte[] b, boolean mappable) {
        return new PageFile() {
            @Override
            public long size() {
                return b.length;
            }

            @Override
            public int read(long position, ByteBuffer dst) {
                if (position >= b.length) return -1;
                int n = (int) Math.min(dst.remaining(), b.length - position);
                dst.put(b, (int) position, n);
                return n;
            }

            @Override
            public ByteBuffer map(long position, int length) {
                return mappable ? ByteBuffer.wrap(b, (int) position, length).slice().order(ByteOrder.LITTLE_ENDIAN) : null;
            }
        };
    }
}
