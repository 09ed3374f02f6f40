package dev.stasis.memory;

import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.archive.SeekableContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The CRIU images of a checkpoint archive (or unpacked directory) through
 * {@link CheckpointArchive}: small images read whole, page images mapped in place
 * for plain tars and directories. For compressed archives a page image is streamed
 * when it is read once from start to end (a search), and only random access (dump,
 * strings, a core file) pays for the archive's spill file.
 */
public final class ArchiveMemorySource implements MemorySource {
    private static final String DIR = CheckpointArchive.IMAGE_DIR + "/";
    /** Bytes of hit context kept from a streamed pass; beyond it reads fall back to the spill file. */
    static final long REMEMBER_BUDGET = 64L << 20;
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
        long size = archive.member(DIR + name).orElseThrow().size();
        return Optional.of(new ArchivePageFile(DIR + name, size));
    }

    /**
     * One page image. The archive's random-access content is obtained on the first read that
     * needs it, so that a compressed archive which is only streamed never spills.
     */
    private final class ArchivePageFile implements PageFile {
        private final String member;
        private final long size;
        private SeekableContent content;
        /** Hit context kept from a streamed pass: start offset to bytes. */
        private final TreeMap<Long, byte[]> remembered = new TreeMap<>();
        private long rememberedBytes;

        ArchivePageFile(String member, long size) {
            this.member = member;
            this.size = size;
        }

        private synchronized SeekableContent content() {
            if (content == null) content = archive.content(member);
            return content;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(long position, ByteBuffer dst) throws IOException {
            int n = fromRemembered(position, dst);
            return n >= 0 ? n : content().read(position, dst);
        }

        /** Serves the read from remembered bytes when they cover it whole: the count, or -1 when they do not. */
        private synchronized int fromRemembered(long position, ByteBuffer dst) {
            if (remembered.isEmpty() || position >= size) return -1;
            Map.Entry<Long, byte[]> e = remembered.floorEntry(position);
            int n = (int) Math.min(dst.remaining(), size - position);
            if (e == null || n == 0 || position + n > e.getKey() + e.getValue().length) return -1;
            dst.put(e.getValue(), (int) (position - e.getKey()), n);
            return n;
        }

        @Override
        public ByteBuffer map(long position, int length) throws IOException {
            if (!archive.inPlace(member)) return null;
            SeekableContent c = content();
            if (!c.mappable()) return null;
            if (position < 0 || length < 0 || position + length > size) throw new MemoryException(member + ": mapping past its end");
            return c.map(position, length);
        }

        @Override
        public ReadableByteChannel sequential() {
            return archive.inPlace(member) ? null : archive.sequential(member);
        }

        @Override
        public synchronized void remember(long position, byte[] bytes) {
            if (rememberedBytes + bytes.length > REMEMBER_BUDGET) return;
            remembered.put(position, bytes);
            rememberedBytes += bytes.length;
        }
    }

    @Override
    public void close() {
        if (owned) archive.close();
    }
}
