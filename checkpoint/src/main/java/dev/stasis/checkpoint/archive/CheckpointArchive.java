package dev.stasis.checkpoint.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container checkpoint, read as it lies: a Podman export (zstd, gzip or plain tar), a
 * kubelet/CRI-O or containerd tar, an unpacked checkpoint directory or a bare CRIU image
 * directory. The kind is sniffed from magic bytes, never the file name. Nothing is unpacked
 * to disk; see {@link CompressedTarBackend} for the one exception (a private spill file of
 * page images, deleted on {@link #close()}).
 *
 * <p>Member names are normalised ({@code ./checkpoint/x} is {@code checkpoint/x}). A name that
 * occurs twice resolves to the last occurrence, as tar itself does.
 *
 * <p>Every failure is an {@link ArchiveException} with a one-line message.
 */
public final class CheckpointArchive implements AutoCloseable {
    /** The member directory holding the CRIU images. */
    public static final String IMAGE_DIR = "checkpoint";
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};

    private final Path path;
    private final Compression compression;
    private final ArchiveLimits limits;
    private final Backend backend;
    private final Map<String, ArchiveMember> byName = new LinkedHashMap<>();

    private CheckpointArchive(Path path, Compression compression, ArchiveLimits limits, Backend backend) {
        this.path = path;
        this.compression = compression;
        this.limits = limits;
        this.backend = backend;
        for (ArchiveMember m : backend.members()) byName.put(m.name(), m);
    }

    public static CheckpointArchive open(Path path) {
        return open(path, ArchiveLimits.defaults());
    }

    public static CheckpointArchive open(Path path, ArchiveLimits limits) {
        try {
            if (Files.isDirectory(path)) {
                return new CheckpointArchive(path, Compression.DIRECTORY, limits, new DirectoryBackend(path, limits));
            }
            Compression c = sniff(path);
            Backend b = c == Compression.NONE ? new PlainTarBackend(path, limits) : new CompressedTarBackend(path, c, limits);
            return new CheckpointArchive(path, c, limits, b);
        } catch (NoSuchFileException e) {
            throw new ArchiveException("no such file: " + path);
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + path + ": " + PlainTarBackend.message(e), e);
        }
    }

    /** The compression from the first bytes of a file; {@link ArchiveException} for anything else. */
    public static Compression sniff(Path file) throws IOException {
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && startsWith(head, ZSTD_MAGIC)) return Compression.ZSTD;
        if (n >= 2 && startsWith(head, GZIP_MAGIC)) return Compression.GZIP;
        if (n >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a' && head[261] == 'r') {
            return Compression.NONE;
        }
        if (n == 0) throw new ArchiveException(file.getFileName() + " is empty, not a checkpoint archive");
        FileKinds.refuseOtherKindsOrText(file, java.util.Arrays.copyOf(head, n));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(n, 4); i++) hex.append(String.format("%02x", head[i]));
        throw new ArchiveException(file.getFileName() + " is not a checkpoint archive (unknown magic " + hex
                + "; expected zstd, gzip or tar)");
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) if (a[i] != prefix[i]) return false;
        return true;
    }

    public Path path() {
        return path;
    }

    public Compression compression() {
        return compression;
    }

    public ArchiveLimits limits() {
        return limits;
    }

    /** Members in archive order (a duplicated name appears once, at its last occurrence's data). */
    public List<ArchiveMember> members() {
        return List.copyOf(byName.values());
    }

    public Optional<ArchiveMember> member(String name) {
        return Optional.ofNullable(byName.get(MemberNames.normalise(name)));
    }

    public boolean has(String name) {
        return member(name).filter(ArchiveMember::isFile).isPresent();
    }

    /** Names of the regular files directly inside a directory member ("checkpoint"), sorted. */
    public List<String> list(String directory) {
        String prefix = directory.isEmpty() ? "" : MemberNames.normalise(directory) + "/";
        return byName.values().stream()
                .filter(ArchiveMember::isFile)
                .map(ArchiveMember::name)
                .filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0)
                .map(n -> n.substring(prefix.length()))
                .sorted()
                .toList();
    }

    /** The whole member, refused beyond {@link ArchiveLimits#maxMemberRead()}. */
    public byte[] read(String name) {
        ArchiveMember m = file(name);
        if (m.size() > limits.maxMemberRead()) {
            throw new ArchiveException("archive member " + name + " is " + m.size() + " bytes, more than the "
                    + limits.maxMemberRead() + " read into memory; stream it instead");
        }
        try (InputStream in = backend.open(m)) {
            byte[] data = in.readNBytes((int) m.size());
            if (data.length != m.size()) {
                throw new ArchiveException("archive member " + name + " claims " + m.size() + " bytes but only " + data.length + " could be read");
            }
            return data;
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + name + ": " + PlainTarBackend.message(e), e);
        }
    }

    /** The member if present (and a regular file), else empty. */
    public Optional<byte[]> readIfPresent(String name) {
        return has(name) ? Optional.of(read(name)) : Optional.empty();
    }

    public InputStream open(String name) {
        try {
            return backend.open(file(name));
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + name + ": " + PlainTarBackend.message(e), e);
        }
    }

    public SeekableContent content(String name) {
        try {
            return backend.content(file(name));
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + name + ": " + PlainTarBackend.message(e), e);
        } catch (UncheckedIOException e) {
            throw new ArchiveException("cannot read " + name + ": " + PlainTarBackend.message(e.getCause()), e);
        }
    }

    /**
     * One sequential pass over a member, start to end. For a compressed archive whose spill file
     * does not exist yet this decompresses the archive once more up to the member and streams it,
     * instead of copying every large member to the spill file first: a caller that reads a page
     * image once (a search) should prefer this whenever {@link #inPlace} is false.
     */
    public java.nio.channels.ReadableByteChannel sequential(String name) {
        try {
            return backend.sequential(file(name));
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + name + ": " + PlainTarBackend.message(e), e);
        }
    }

    /**
     * True when {@link #content} reads this member in place (plain tars, directories, small
     * members of a compressed archive, anything once the spill file exists); false when the
     * first random access would decompress the archive into the spill file.
     */
    public boolean inPlace(String name) {
        return backend.inPlace(file(name));
    }

    private ArchiveMember file(String name) {
        ArchiveMember m = byName.get(MemberNames.normalise(name));
        if (m == null) throw new ArchiveException("archive " + path.getFileName() + " has no member " + name);
        if (!m.isFile()) throw new ArchiveException("archive member " + name + " is a " + m.type().name().toLowerCase() + ", not a file");
        return m;
    }

    /** The CRIU images in {@code checkpoint/}, by bare file name. */
    public dev.stasis.checkpoint.criu.ImageSource images() {
        return new ArchiveImageSource(this);
    }

    /** Total size of the regular files under a directory member (or all when empty). */
    public long sizeOf(String directory) {
        String prefix = directory.isEmpty() ? "" : MemberNames.normalise(directory) + "/";
        return byName.values().stream().filter(ArchiveMember::isFile).filter(m -> m.name().startsWith(prefix))
                .mapToLong(ArchiveMember::size).sum();
    }

    Map<String, ArchiveMember> index() {
        return Collections.unmodifiableMap(byName);
    }

    @Override
    public void close() {
        try {
            backend.close();
        } catch (IOException e) {
            throw new ArchiveException("cannot close " + path + ": " + PlainTarBackend.message(e), e);
        }
    }
}
