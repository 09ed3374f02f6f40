package dev.stasis.checkpoint.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** How one kind of archive hands out its members; {@link CheckpointArchive} is the public face. */
interface Backend extends Closeable {
    List<ArchiveMember> members();

    InputStream open(ArchiveMember member) throws IOException;

    SeekableContent content(ArchiveMember member) throws IOException;
}
