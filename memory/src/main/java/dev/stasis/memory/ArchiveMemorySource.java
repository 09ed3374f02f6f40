package dev.stasis.memory;

import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.archive.Compression;
import dev.stasis.checkpoint.archive.SeekableContent;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The CRIU images of a checkpoint archive (or unpacked directory) through
 * {@link CheckpointArchive}: small images read whole, page images through its
 * random-access content (in place for plain tars and directories).
 */
public final class ArchiveMemorySource implements MemorySource {
    private static final String DIR = CheckpointArchive.IMAGE_DIR + "/";
    private final CheckpointArchive archive;
    private final boolean owned;
    private final List<FileChannel> channels = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ArchiveMemorySource(CheckpointArchive archive, boolean owned) {
        this.archive = archive;
        this.owned = owned;
    }

    /** Opens the archive; closing this source closes it. */
    public static ArchiveMemorySource open(Path path) {
        return new ArchiveMemorySource(CheckpointArchive.open(path), true);
    }

    /** Reads through an archive the caller owns and closes. */
    public static ArchiveMemorySource over(CheckpointArchive archive) {
        return new ArchiveMemorySource(archive, false);
    }

    @Override
    public List<String> names() {
        return archive.list(CheckpointArchive.IMAGE_DIR);
    }

    @Override
    public Optional<byte[]> image(String name) {
        return archive.readIfPresent(DIR + name);
    }

    @Override
    public Optional<PageFile> pages(String name) {
        if (!archive.has(DIR + name)) return Optional.empty();
        SeekableContent c = archive.content(DIR + name);
        FileChannel direct = directFile(name);
        return Optional.of(new PageFile() {
            @Override
            public long size() {
                return c.size();
            }

            @Override
            public int read(long position, ByteBuffer dst) throws IOException {
                return c.read(position, dst);
            }

            @Override
            public ByteBuffer map(long position, int length) throws IOException {
                if (direct == null) return null;
                if (position < 0 || length < 0 || position + length > c.size()) throw new MemoryException(name + ": mapping past its end");
                return direct.map(FileChannel.MapMode.READ_ONLY, position, length).order(ByteOrder.LITTLE_ENDIAN);
            }
        });
    }

    /**
     * For an unpacked checkpoint directory the page image is a plain file that can be mapped.
     * (Plain tars could be mapped too at the member's data offset; CheckpointArchive does not
     * expose it yet, so they are read with positional reads.)
     */
    private FileChannel directFile(String name) {
        if (archive.compression() != Compression.DIRECTORY) return null;
        for (Path p : List.of(archive.path().resolve(CheckpointArchive.IMAGE_DIR).resolve(name), archive.path().resolve(name))) {
            try {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == archive.member(DIR + name).orElseThrow().size()) {
                    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
                    channels.add(ch);
                    return ch;
                }
            } catch (IOException e) {
                return null;   // fall back to positional reads through the archive
            }
        }
        return null;
    }

    @Override
    public void close() {
        for (FileChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                // read-only channel; nothing was written that could be lost
            }
        }
        if (owned) archive.close();
    }
}
