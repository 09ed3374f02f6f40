package dev.stasis.analysis.load;

import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.archive.SeekableContent;
import dev.stasis.memory.MemorySource;
import dev.stasis.memory.PageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The memory module's view of a checkpoint archive: small images read whole,
 * page images through the archive's random access (in place for plain tars).
 */
final class ArchiveMemorySource implements MemorySource {
    private final CheckpointArchive archive;

    ArchiveMemorySource(CheckpointArchive archive) {
        this.archive = archive;
    }

    @Override
    public List<String> names() {
        return archive.list(CheckpointArchive.IMAGE_DIR);
    }

    @Override
    public Optional<byte[]> image(String name) {
        return archive.readIfPresent(CheckpointArchive.IMAGE_DIR + "/" + name);
    }

    @Override
    public Optional<PageFile> pages(String name) {
        String member = CheckpointArchive.IMAGE_DIR + "/" + name;
        if (!archive.has(member)) return Optional.empty();
        SeekableContent c = archive.content(member);
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
}
