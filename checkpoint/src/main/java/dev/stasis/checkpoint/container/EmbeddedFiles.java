package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.archive.SeekableContent;
import dev.stasis.checkpoint.criu.GhostFileImage;
import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.PagemapImage;
import dev.stasis.checkpoint.criu.images.Fdinfo;
import dev.stasis.checkpoint.criu.images.Memfd;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files whose contents CRIU put into the checkpoint itself: ghost files (deleted while open:
 * {@code ghost-file-<id>.img}, whole or in chunks) and memfds ({@code memfd.img} inodes whose
 * data lie in {@code pagemap-shmem-<shmid>.img} + pages). A fileless payload is one of these.
 */
public final class EmbeddedFiles {
    public enum Kind { GHOST, MEMFD }

    /**
     * @param path  the deleted file's path, or "/memfd:NAME" for a memfd
     * @param id    the ghost remap id or memfd inode id
     * @param modified a ghost file's mtime as CRIU recorded it; null for a memfd or when not recorded
     */
    public record Embedded(Kind kind, String path, long id, long size, int mode, Instant modified) {}

    private final CheckpointArchive archive;
    private final CheckpointImages images;
    private final FileTable files;
    private final List<String> warnings;

    public EmbeddedFiles(CheckpointArchive archive, List<String> warnings) {
        this.archive = archive;
        this.images = new CheckpointImages(archive.images(), warnings);
        this.files = new FileTable(images);
        this.warnings = warnings;
    }

    /** The image CRIU writes a ghost file's contents to: its remap id in hex ({@code "ghost-file-%x"} in CRIU's image-desc.c). */
    public static String ghostImageName(long remapId) {
        return "ghost-file-" + Long.toHexString(remapId) + ".img";
    }

    public List<Embedded> list() {
        List<Embedded> out = new ArrayList<>();
        for (Map.Entry<Long, FileTable.Remap> r : files.remaps().entrySet()) {
            if (!"GHOST".equals(r.getValue().type())) continue;
            Fdinfo.file_entry f = files.file(r.getKey());
            String path = f != null && f.hasReg() ? f.getReg().getName() : "ghost-" + r.getValue().remapId();
            Optional<GhostFileImage> g = ghost(r.getValue().remapId());
            if (g.isEmpty()) continue;
            out.add(new Embedded(Kind.GHOST, path, r.getValue().remapId(), g.get().size(), g.get().mode(), g.get().modified()));
        }
        images.optional("memfd.img").ifPresent(img -> {
            for (ImageEntry e : img.entries()) {
                if (e.message() instanceof Memfd.memfd_inode_entry m) {
                    out.add(new Embedded(Kind.MEMFD, "/memfd:" + m.getName(), m.getInodeId(), m.getSize(), m.hasMode() ? m.getMode() : 0100600, null));
                }
            }
        });
        out.sort(java.util.Comparator.comparing(Embedded::path));
        return out;
    }

    /** Finds by path ("/var/tmp/.kworkerds", "/memfd:kworkerds", "memfd:kworkerds"). */
    public Optional<Embedded> find(String path) {
        String p = path.startsWith("memfd:") ? "/" + path : path;
        String q = p.endsWith(" (deleted)") ? p.substring(0, p.length() - " (deleted)".length()) : p;
        return list().stream().filter(e -> e.path().equals(q)).findFirst();
    }

    /** Writes the file's contents; holes (pages the checkpoint lacks) are written as zeros. */
    public void copy(Embedded e, OutputStream out) throws IOException {
        switch (e.kind()) {
            case GHOST -> copyGhost(e, out);
            case MEMFD -> copyMemfd(e, out);
        }
    }

    private void copyGhost(Embedded e, OutputStream out) throws IOException {
        String name = ghostImageName(e.id());
        if (!images.contains(name)) throw new CheckpointException("checkpoint has no " + name);
        SeekableContent content = archive.content(CheckpointArchive.IMAGE_DIR + "/" + name);
        GhostFileImage.read(name, content.size(), content::read).writeContent(content::read, out);
    }

    /**
     * The ghost image of a remap, indexed; empty when the checkpoint lacks it. A damaged one
     * is a warning, as every damaged optional image is ({@link CheckpointImages}).
     */
    private Optional<GhostFileImage> ghost(long remapId) {
        String name = ghostImageName(remapId);
        if (!images.contains(name)) return Optional.empty();
        try {
            SeekableContent content = archive.content(CheckpointArchive.IMAGE_DIR + "/" + name);
            return Optional.of(GhostFileImage.read(name, content.size(), content::read));
        } catch (CheckpointException | IOException | UncheckedIOException e) {
            warnings.add(name + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private void copyMemfd(Embedded e, OutputStream out) throws IOException {
        Memfd.memfd_inode_entry inode = null;
        for (ImageEntry x : images.required("memfd.img").entries()) {
            if (x.message() instanceof Memfd.memfd_inode_entry m && m.getInodeId() == e.id()) inode = m;
        }
        if (inode == null) throw new CheckpointException("memfd inode " + e.id() + " not in memfd.img");
        PagemapImage pagemap = PagemapImage.read(images.required("pagemap-shmem-" + Integer.toUnsignedLong(inode.getShmid()) + ".img"));
        SeekableContent pages = archive.content("checkpoint/" + pagemap.pagesImage());
        MemoryAreaReader reader = new MemoryAreaReader(MemoryAreaReader.runs(pagemap), pages);
        long size = inode.getSize();
        long pos = 0;
        int chunk = 1 << 20;
        boolean[] missing = {false};
        while (pos < size) {
            int n = (int) Math.min(chunk, size - pos);
            // shmem pagemaps address the file by offset; offset 0 is a valid address here
            out.write(reader.readAt(pos, n, missing));
            pos += n;
        }
    }
}
