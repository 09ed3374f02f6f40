package dev.stasis.checkpoint.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An uncompressed tar (kubelet/CRI-O, containerd, {@code podman --compress none}): the headers are
 * indexed once and every member is then read in place, at its data offset inside the tar, so
 * gigabytes of page images are never copied.
 */
final class PlainTarBackend implements Backend {
    private final FileChannel channel;
    private final List<ArchiveMember> members = new ArrayList<>();
    private final Map<ArchiveMember, Long> offsets = new IdentityHashMap<>();

    PlainTarBackend(Path file, ArchiveLimits limits) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long fileSize = channel.size();
            List<TarArchiveEntry> entries;
            try (TarFile tar = new TarFile(FileChannel.open(file, StandardOpenOption.READ))) {
                entries = tar.getEntries();
            } catch (IOException | RuntimeException e) {
                throw new ArchiveException("corrupt tar archive " + file.getFileName() + ": " + message(e), e);
            }
            if (entries.size() > limits.maxMembers()) {
                throw new ArchiveException("archive holds more than " + limits.maxMembers() + " members");
            }
            for (TarArchiveEntry e : entries) {
                ArchiveMember m = TarEntries.toMember(e);
                long offset = e.getDataOffset();
                if (m.isFile() && (offset < 0 || offset + m.size() > fileSize)) {
                    throw new ArchiveException("archive member " + m.name() + " claims " + m.size()
                            + " bytes but the archive ends " + Math.max(0, fileSize - offset) + " bytes after its header");
                }
                members.add(m);
                offsets.put(m, offset);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    @Override
    public List<ArchiveMember> members() {
        return members;
    }

    @Override
    public InputStream open(ArchiveMember member) {
        return content(member).stream();
    }

    @Override
    public ChannelContent content(ArchiveMember member) {
        return new ChannelContent(channel, offsets.get(member), member.size());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
