package dev.stasis.memory;

import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.archive.SeekableContent;
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
        return Optional.of(new PageFile() {
            @Override
            public long size() {
                return c.size();
            }

            @Override
            public int read(long position, ByteBuffer dst) throws IOException {
                return c.read(position, dst);
            }
        });
    }

    @Override
    public void close() {
        if (owned) archive.close();
    }
}
