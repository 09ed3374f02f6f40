package dev.stasis.checkpoint.archive;

import dev.stasis.checkpoint.criu.ImageSource;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** The CRIU images of an archive's {@code checkpoint/} directory, by bare file name ("core-1.img"). */
final class ArchiveImageSource implements ImageSource {
    private final CheckpointArchive archive;
    private final List<String> names;

    ArchiveImageSource(CheckpointArchive archive) {
        this.archive = archive;
        this.names = archive.list(CheckpointArchive.IMAGE_DIR);
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public Optional<InputStream> open(String name) {
        if (name.contains("/") || !names.contains(name)) return Optional.empty();
        return Optional.of(archive.open(CheckpointArchive.IMAGE_DIR + "/" + name));
    }

    @Override
    public Optional<Long> size(String name) {
        if (name.contains("/")) return Optional.empty();
        return archive.member(CheckpointArchive.IMAGE_DIR + "/" + name).filter(ArchiveMember::isFile).map(ArchiveMember::size);
    }

    @Override
    public boolean contains(String name) {
        return names.contains(name);
    }
}
