package dev.stasis.sandbox.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An oci-archive: the layout written beside the destination, then packed into one tar under a
 * temporary name and renamed into place. The temporary layout is removed either way.
 */
final class ArchiveSink implements ImageSink {
    private final Path target;
    private final LayoutSink layout;
    private Path partial;
    private boolean committed;

    ArchiveSink(Path target) {
        this.target = target.toAbsolutePath();
        if (Files.exists(this.target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new ImageException.Output(target + " already exists", null);
        this.layout = new LayoutSink(TempFiles.sibling(this.target, "layout"));
    }

    @Override
    public OutputStream layer() throws IOException {
        return layout.layer();
    }

    @Override
    public void layerDone(String digest, long size) throws IOException {
        layout.layerDone(digest, size);
    }

    @Override
    public void blob(String digest, byte[] data) throws IOException {
        layout.blob(digest, data);
    }

    @Override
    public String manifest(String digest, byte[] manifest, String tag, java.util.Map<String, String> annotations) throws IOException {
        return layout.manifest(digest, manifest, tag, annotations);
    }

    @Override
    public void commit() throws IOException {
        Path root = layout.work;
        partial = TempFiles.sibling(target, "partial");
        List<Path> entries;
        try (Stream<Path> s = Files.walk(root)) {
            entries = s.filter(p -> !p.equals(root)).sorted().toList();
        }
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(partial), 1 << 16))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path p : entries) {
                String name = root.relativize(p).toString().replace('\\', '/');
                TarArchiveEntry e = new TarArchiveEntry(p.toFile(), Files.isDirectory(p) ? name + "/" : name);
                e.setIds(0, 0);
                e.setUserName("");
                e.setGroupName("");
                tar.putArchiveEntry(e);
                if (Files.isRegularFile(p)) Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        layout.abort();
    }

    @Override
    public void abort() {
        layout.abort();
        if (!committed && partial != null) TempFiles.deleteTree(partial);
    }
}
