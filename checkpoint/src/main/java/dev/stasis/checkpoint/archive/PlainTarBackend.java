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

/**
 * An uncompressed tar (kubelet/CRI-O, containerd, {@code podman --compress none}): the headers are
 * indexed once ({@link TarHeaderWalker}) and every member is then read in place, at its data
 * offset inside the tar, or mapped ({@link ChannelContent#map}), so gigabytes of page images are
 * never copied.
 */
final class PlainTarBackend implements Backend {
    private final FileChannel channel;
    private final List<ArchiveMember> members = new ArrayList<>();
    private final Map<ArchiveMember, Long> offsets = new IdentityHashMap<>();

    PlainTarBackend(Path file, ArchiveLimits limits) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            for (TarHeaderWalker.Entry e : TarHeaderWalker.walk(channel, String.valueOf(file.getFileName()), limits)) {
                members.add(e.member());
                offsets.put(e.member(), e.dataOffset());
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
