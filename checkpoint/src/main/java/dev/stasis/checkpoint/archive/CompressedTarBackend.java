package dev.stasis.checkpoint.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A zstd or gzip compressed tar (Podman's exports). Compressed streams cannot be
 * read at an offset, so the strategy is:
 * <ol>
 * <li>At open, one streaming pass indexes every member and keeps the small ones
 * (everything but page images, up to {@link ArchiveLimits#maxInMemory()}) in memory:
 * metadata, CRIU images, logs. Listing and inspecting without memory costs one
 * decompression and no disk.</li>
 * <li>The first time a page image or a large member is opened, a second pass copies
 * exactly those members into one private spill file (mode 0600, in {@code java.io.tmpdir}),
 * read afterwards at offsets and deleted on {@link #close()} (and at JVM exit).</li>
 * </ol>
 * Every pass counts the uncompressed bytes and stops at {@link ArchiveLimits#maxUnpacked()},
 * so a decompression bomb ends with an error rather than a full disk or heap.
 */
final class CompressedTarBackend implements Backend {
    private final Path file;
    private final Compression compression;
    private final ArchiveLimits limits;
    private final List<ArchiveMember> members = new ArrayList<>();
    private final Map<ArchiveMember, byte[]> inMemory = new IdentityHashMap<>();
    private final Map<ArchiveMember, Long> spillOffsets = new IdentityHashMap<>();
    private Path spillPath;
    private FileChannel spill;

    CompressedTarBackend(Path file, Compression compression, ArchiveLimits limits) throws IOException {
        this.file = file;
        this.compression = compression;
        this.limits = limits;
        index();
    }

    private void index() throws IOException {
        try (TarArchiveInputStream tar = openTar()) {
            TarArchiveEntry e;
            while ((e = nextEntry(tar)) != null) {
                ArchiveMember m = TarEntries.toMember(e);
                members.add(m);
                if (members.size() > limits.maxMembers()) {
                    throw new ArchiveException("archive holds more than " + limits.maxMembers() + " members");
                }
                if (m.isFile() && keptInMemory(m)) {
                    inMemory.put(m, readFully(tar, m));
                } else {
                    drain(tar, m);
                }
            }
        }
    }

    private boolean keptInMemory(ArchiveMember m) {
        return !MemberNames.isPageImage(m.name()) && m.size() <= limits.maxInMemory();
    }

    private TarArchiveInputStream openTar() throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            InputStream decompressed = switch (compression) {
                case ZSTD -> new ZstdInputStreamNoFinalizer(raw);
                case GZIP -> new GzipCompressorInputStream(raw, true);
                default -> throw new IllegalStateException(compression.name());
            };
            BufferedInputStream buffered = new BufferedInputStream(decompressed, 1 << 16);
            FileKinds.refuseOtherKinds(file, buffered, kind() + "-compressed ");
            return new TarArchiveInputStream(new LimitedStream(buffered));
        } catch (ArchiveException e) {
            raw.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw new ArchiveException("corrupt " + kind() + " stream in " + file.getFileName() + ": " + PlainTarBackend.message(e), e);
        }
    }

    private String kind() {
        return compression == Compression.ZSTD ? "zstd" : "gzip";
    }

    private TarArchiveEntry nextEntry(TarArchiveInputStream tar) {
        try {
            return tar.getNextEntry();
        } catch (ArchiveException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ArchiveException("truncated or corrupt " + kind() + " tar " + file.getFileName() + ": " + PlainTarBackend.message(e), e);
        }
    }

    private byte[] readFully(TarArchiveInputStream tar, ArchiveMember m) {
        try {
            byte[] data = tar.readNBytes((int) m.size());
            if (data.length != m.size()) throw truncated(m, data.length);
            return data;
        } catch (ArchiveException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ArchiveException("truncated or corrupt " + kind() + " tar " + file.getFileName() + " in member " + m.name() + ": " + PlainTarBackend.message(e), e);
        }
    }

    private void drain(TarArchiveInputStream tar, ArchiveMember m) {
        copy(tar, OutputStream.nullOutputStream(), m);
    }

    private void copy(TarArchiveInputStream tar, OutputStream out, ArchiveMember m) {
        try {
            long n = tar.transferTo(out);
            if (m.isFile() && n != m.size()) throw truncated(m, n);
        } catch (ArchiveException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ArchiveException("truncated or corrupt " + kind() + " tar " + file.getFileName() + " in member " + m.name() + ": " + PlainTarBackend.message(e), e);
        }
    }

    private ArchiveException truncated(ArchiveMember m, long got) {
        return new ArchiveException("archive member " + m.name() + " claims " + m.size() + " bytes but only " + got + " follow (truncated archive or lying size)");
    }

    /** Second pass: copy every member not held in memory into the private spill file. */
    private synchronized void spill() throws IOException {
        if (spill != null) return;
        Path path = Files.createTempFile("stasis-spill-", ".bin",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        path.toFile().deleteOnExit();
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try (TarArchiveInputStream tar = openTar()) {
            OutputStream out = Channels.newOutputStream(channel);
            int i = 0;
            TarArchiveEntry e;
            while ((e = nextEntry(tar)) != null && i < members.size()) {
                ArchiveMember m = members.get(i++);
                if (m.isFile() && !inMemory.containsKey(m)) {
                    spillOffsets.put(m, channel.position());
                    copy(tar, out, m);
                } else {
                    drain(tar, m);
                }
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
        spillPath = path;
        spill = channel;
    }

    @Override
    public List<ArchiveMember> members() {
        return members;
    }

    @Override
    public InputStream open(ArchiveMember member) throws IOException {
        byte[] data = inMemory.get(member);
        if (data != null) return new ByteArrayInputStream(data);
        if (!member.isFile()) return InputStream.nullInputStream();
        return ((ChannelContent) content(member)).stream();
    }

    @Override
    public SeekableContent content(ArchiveMember member) throws IOException {
        byte[] data = inMemory.get(member);
        if (data != null) return new BytesContent(data);
        if (!member.isFile()) return new BytesContent(new byte[0]);
        spill();
        return new ChannelContent(spill, spillOffsets.get(member), member.size());
    }

    @Override
    public synchronized boolean inPlace(ArchiveMember member) {
        return spill != null || inMemory.containsKey(member) || !member.isFile();
    }

    /**
     * Streams a member from a fresh decompression pass (no spill file): the members before it are
     * skipped, its bytes are read straight from the decompressor into the caller's buffer.
     */
    @Override
    public ReadableByteChannel sequential(ArchiveMember member) throws IOException {
        if (inPlace(member)) {
            InputStream in = open(member);
            return Channels.newChannel(in);
        }
        int index = -1;
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i) == member) index = i;
        }
        if (index < 0) throw new ArchiveException("archive member " + member.name() + " is not in " + file.getFileName());
        TarArchiveInputStream tar = openTar();
        try {
            for (int i = 0; i <= index; i++) {
                if (nextEntry(tar) == null) throw truncated(member, 0);
            }
        } catch (RuntimeException e) {
            tar.close();
            throw e;
        }
        return new MemberChannel(tar, member);
    }

    /** The bytes of one member read from a tar stream positioned at it; a short member is an error. */
    private final class MemberChannel implements ReadableByteChannel {
        private final TarArchiveInputStream tar;
        private final ArchiveMember member;
        private long left;
        private byte[] scratch;
        private boolean open = true;

        MemberChannel(TarArchiveInputStream tar, ArchiveMember member) {
            this.tar = tar;
            this.member = member;
            this.left = member.size();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open) throw new java.nio.channels.ClosedChannelException();
            if (left == 0) return -1;
            int want = (int) Math.min(dst.remaining(), left);
            if (want == 0) return 0;
            int n;
            try {
                if (dst.hasArray()) {
                    n = tar.read(dst.array(), dst.arrayOffset() + dst.position(), want);
                    if (n > 0) dst.position(dst.position() + n);
                } else {
                    if (scratch == null) scratch = new byte[1 << 16];
                    n = tar.read(scratch, 0, Math.min(want, scratch.length));
                    if (n > 0) dst.put(scratch, 0, n);
                }
            } catch (ArchiveException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new ArchiveException("truncated or corrupt " + kind() + " tar " + file.getFileName() + " in member " + member.name() + ": " + PlainTarBackend.message(e), e);
            }
            if (n < 0) throw truncated(member, member.size() - left);
            left -= n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            if (open) {
                open = false;
                tar.close();
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (spill != null) {
            spill.close();
            Files.deleteIfExists(spillPath);
            spill = null;
        }
    }

    /** Counts decompressed bytes and stops a stream that expands beyond the limit. */
    private final class LimitedStream extends FilterInputStream {
        private long count;

        LimitedStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) account(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) account(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            if (s > 0) account(s);
            return s;
        }

        private void account(long n) {
            count += n;
            if (count > limits.maxUnpacked()) {
                throw new ArchiveException(file.getFileName() + " expands beyond " + limits.maxUnpacked()
                        + " bytes (decompression bomb?); raise the limit with -Dstasis.archive.maxUnpacked=BYTES if it is genuine");
            }
        }
    }
}
