package dev.stasis.checkpoint.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.List;

/** How one kind of archive hands out its members; {@link CheckpointArchive} is the public face. */
interface Backend extends Closeable {
    List<ArchiveMember> members();

    InputStream open(ArchiveMember member) throws IOException;

    SeekableContent content(ArchiveMember member) throws IOException;

    /** One sequential pass over a member; compressed archives override it to avoid the spill file. */
    default ReadableByteChannel sequential(ArchiveMember member) throws IOException {
        return Channels.newChannel(open(member));
    }

    /** True when {@link #content} reads the member in place rather than decompressing the archive again. */
    default boolean inPlace(ArchiveMember member) {
        return true;
    }
}
