package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.model.RootfsDiffEntry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Lists {@code rootfs-diff.tar} (Podman/CRI-O: a plain tar; containerd: a gzip OCI layer with
 * {@code .wh.} whiteouts) as a stream, hashing each regular file. Paths are shown as the
 * container saw them ("/tmp/x"); names are reported as found, never used to write anywhere.
 */
public final class RootfsDiffReader {
    public static final String MEMBER = "rootfs-diff.tar";

    private RootfsDiffReader() {}

    public static List<RootfsDiffEntry> read(CheckpointArchive archive) {
        List<RootfsDiffEntry> out = new ArrayList<>();
        if (!archive.has(MEMBER)) return out;
        walk(archive, (entry, in) -> out.add(describe(entry, in)));
        return out;
    }

    /** Visitor over the diff's tar entries with the entry's data stream. */
    public interface EntryVisitor {
        void visit(TarArchiveEntry entry, InputStream data) throws IOException;
    }

    public static void walk(CheckpointArchive archive, EntryVisitor visitor) {
        try (InputStream raw = new BufferedInputStream(archive.open(MEMBER));
             TarArchiveInputStream tar = new TarArchiveInputStream(maybeGunzip(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                visitor.visit(e, tar);
            }
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(MEMBER + " is corrupt: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int a = in.read(), b = in.read();
        in.reset();
        return a == 0x1f && b == 0x8b ? new GzipCompressorInputStream(in, true) : in;
    }

    /** "/tmp/x" from "tmp/x", "./tmp/x" or "/tmp/x". */
    public static String containerPath(String name) {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        if (!n.startsWith("/")) n = "/" + n;
        if (n.length() > 1 && n.endsWith("/")) n = n.substring(0, n.length() - 1);
        return n;
    }

    /**
     * A regular file. Commons-compress's {@code isFile()} is also true for links and devices
     * (any non-directory name), so those are ruled out first.
     */
    public static boolean isRegular(TarArchiveEntry e) {
        return !e.isDirectory() && !e.isSymbolicLink() && !e.isLink() && !e.isCharacterDevice() && !e.isBlockDevice()
                && !e.isFIFO() && e.isFile();
    }

    private static RootfsDiffEntry describe(TarArchiveEntry e, InputStream data) throws IOException {
        String path = containerPath(e.getName());
        String file = path.substring(path.lastIndexOf('/') + 1);
        String type;
        if (file.startsWith(".wh.")) type = "whiteout";
        else if (e.isDirectory()) type = "dir";
        else if (e.isSymbolicLink()) type = "symlink";
        else if (e.isLink()) type = "hardlink";
        else if (isRegular(e)) type = "file";
        else type = "other";
        String sha = null;
        if (type.equals("file")) sha = sha256(data);
        String link = e.isSymbolicLink() || e.isLink() ? e.getLinkName() : null;
        return new RootfsDiffEntry(path, type, type.equals("file") ? e.getSize() : 0, e.getMode() & 07777, link, sha,
                e.getLastModifiedDate() == null ? null : e.getLastModifiedDate().toInstant());
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
