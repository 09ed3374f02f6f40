package dev.stasis.analysis.load;

import dev.stasis.analysis.subject.DiffFile;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Streams {@code rootfs-diff.tar} (plain, or gzip as containerd writes it):
 * every entry's metadata, the SHA-256 of regular files, and the first bytes of
 * each (for typing and scanning). Nothing is written to disk. containerd's
 * {@code .wh.} whiteouts are deletions.
 */
final class RootfsDiffReader {
    /** Head bytes kept in all; past this only 4 KiB per file (enough to type it). */
    static final long HEAD_BUDGET = 64L * 1024 * 1024;
    static final int MAX_ENTRIES = 200_000;

    private RootfsDiffReader() {}

    static void read(InputStream raw, List<DiffFile> files, List<String> whiteouts, List<String> notices) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) in = new GzipCompressorInputStream(in);
        long budget = HEAD_BUDGET;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            int n = 0;
            while ((e = tar.getNextEntry()) != null) {
                if (++n > MAX_ENTRIES) {
                    notices.add("rootfs-diff.tar has more than " + MAX_ENTRIES + " entries; the rest were not examined");
                    break;
                }
                String path = normalise(e.getName());
                if (path == null) continue;
                String base = path.substring(path.lastIndexOf('/') + 1);
                if (base.startsWith(".wh.")) {
                    if (!base.equals(".wh..wh..opq")) whiteouts.add(path.substring(0, path.lastIndexOf('/') + 1) + base.substring(4));
                    continue;
                }
                String type = e.isDirectory() ? "dir" : e.isSymbolicLink() ? "symlink" : e.isLink() ? "hardlink" : e.isFile() ? "file" : "other";
                String sha = null;
                byte[] head = new byte[0];
                if (e.isFile()) {
                    int keep = (int) Math.min(e.getSize(), budget > 0 ? DiffFile.HEAD_LIMIT : 4096);
                    Hashed h = hash(tar, keep);
                    sha = h.sha256;
                    head = h.head;
                    budget -= head.length;
                }
                files.add(new DiffFile(path, type, e.getSize(), e.getMode(), e.getLastModifiedTime() == null ? null : e.getLastModifiedTime().toInstant(),
                        sha, head, e.isSymbolicLink() || e.isLink() ? e.getLinkName() : null, "rootfs-diff"));
            }
        }
    }

    record Hashed(String sha256, byte[] head, long size) {}

    static Hashed hash(InputStream in, int keep) throws IOException {
        MessageDigest md = sha256();
        ByteArrayOutputStream head = new ByteArrayOutputStream(Math.min(keep, 1 << 16));
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            md.update(buf, 0, r);
            if (head.size() < keep) head.write(buf, 0, Math.min(r, keep - head.size()));
            total += r;
        }
        return new Hashed(HexFormat.of().formatHex(md.digest()), head.toByteArray(), total);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "./tmp/x" -> "/tmp/x"; null for the root entry or names that climb out ("../"). */
    static String normalise(String name) {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) n = n.substring(2);
        while (n.startsWith("/")) n = n.substring(1);
        if (n.endsWith("/")) n = n.substring(0, n.length() - 1);
        if (n.isEmpty() || n.equals(".")) return null;
        for (String part : n.split("/")) if (part.equals("..")) return null;
        return "/" + n;
    }
}
