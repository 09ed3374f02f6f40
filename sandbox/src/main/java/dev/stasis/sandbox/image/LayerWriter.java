package dev.stasis.sandbox.image;

import dev.stasis.checkpoint.archive.ArchiveException;
import dev.stasis.checkpoint.archive.ArchiveMember;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Streams a checkpoint archive's members into one image layer, the tar that
 * {@code buildah add CTR ARCHIVE /} followed by {@code buildah commit} produces: every member at
 * its own path under {@code /}, with its mode and mtime, owned by root, plus the parent
 * directories a tar without directory entries implies (buildah creates them when it extracts).
 * Members are read one after the other from the archive (never unpacked to disk); the
 * uncompressed tar's digest (the diff id) and the blob's digest are taken in the same pass.
 */
final class LayerWriter {
    /** What was written: the digests and sizes the config and manifest need. */
    record Layer(String diffId, String digest, long size, int entries, int skipped) {}

    private LayerWriter() {}

    static Layer write(CheckpointArchive archive, OutputStream sink, LayerCompression compression, ImageProgress progress) throws IOException {
        long total = archive.sizeOf("");
        long done = 0;
        byte[] buf = new byte[1 << 16];
        HashingOutputStream blob = new HashingOutputStream(HashingOutputStream.unclosable(sink));
        OutputStream packed = compression == LayerCompression.GZIP ? new GZIPOutputStream(blob, 1 << 16) : blob;
        HashingOutputStream diff = new HashingOutputStream(packed);
        int entries = 0;
        int skipped = 0;
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(diff, 512)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            Set<String> dirs = new HashSet<>();
            for (ArchiveMember m : archive.members()) {
                if (m.name().isEmpty() || m.name().equals(".")) continue;
                entries += parents(tar, m, dirs);
                TarArchiveEntry e;
                switch (m.type()) {
                    case DIRECTORY -> {
                        if (!dirs.add(m.name())) continue;
                        e = new TarArchiveEntry(m.name() + "/", TarConstants.LF_DIR);
                        e.setMode(040000 | (m.mode() & 07777));
                    }
                    case FILE -> {
                        e = new TarArchiveEntry(m.name(), TarConstants.LF_NORMAL);
                        e.setMode(0100000 | (m.mode() & 07777));
                        e.setSize(m.size());
                    }
                    case SYMLINK -> {
                        e = new TarArchiveEntry(m.name(), TarConstants.LF_SYMLINK);
                        e.setMode(0120777);
                        e.setLinkName(m.linkTarget());
                    }
                    case HARDLINK -> {
                        e = new TarArchiveEntry(m.name(), TarConstants.LF_LINK);
                        e.setMode(0100000 | (m.mode() & 07777));
                        e.setLinkName(m.linkTarget());
                    }
                    default -> {
                        // devices and fifos have no place in a checkpoint and containerd refuses them
                        skipped++;
                        continue;
                    }
                }
                owner(e, m);
                tar.putArchiveEntry(e);
                if (m.type() == ArchiveMember.Type.FILE && m.size() > 0) {
                    try (InputStream in = Channels.newInputStream(archive.sequential(m.name()))) {
                        long n = 0;
                        for (int r; (r = in.read(buf)) > 0; ) {
                            tar.write(buf, 0, r);
                            n += r;
                            if (((done + n) & ~((1L << 22) - 1)) != ((done + n - r) & ~((1L << 22) - 1))) progress.progress(done + n, total);
                        }
                        done += n;
                        if (n != m.size()) throw new ArchiveException("archive member " + m.name() + " claims " + m.size() + " bytes but has " + n);
                    }
                }
                tar.closeArchiveEntry();
                entries++;
            }
            tar.finish();
        }
        progress.progress(done, total);
        return new Layer(diff.digest(), blob.digest(), blob.count(), entries, skipped);
    }

    private static int parents(TarArchiveOutputStream tar, ArchiveMember m, Set<String> dirs) throws IOException {
        int added = 0;
        int slash = m.name().indexOf('/');
        while (slash > 0) {
            String dir = m.name().substring(0, slash);
            if (dirs.add(dir)) {
                TarArchiveEntry e = new TarArchiveEntry(dir + "/", TarConstants.LF_DIR);
                e.setMode(040755);
                owner(e, m);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                added++;
            }
            slash = m.name().indexOf('/', slash + 1);
        }
        return added;
    }

    private static void owner(TarArchiveEntry e, ArchiveMember m) {
        e.setIds(0, 0);
        e.setUserName("");
        e.setGroupName("");
        if (m.modified() != null) e.setLastModifiedTime(FileTime.from(m.modified()));
    }
}
