package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.archive.SeekableContent;
import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.images.Fdinfo;
import dev.stasis.checkpoint.criu.images.GhostFile;
import dev.stasis.checkpoint.criu.images.Memfd;
import java.io.IOException;
import java.io.OutputStream;
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
     */
    public record Embedded(Kind kind, String path, long id, long size, int mode) {}

    private final CheckpointArchive archive;
    private final CheckpointImages images;
    private final FileTable files;

    public EmbeddedFiles(CheckpointArchive archive, List<String> warnings) {
        this.archive = archive;
        this.images = new CheckpointImages(archive.images(), warnings);
        this.files = new FileTable(images);
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
            Optional<CriuImage> img = images.optional(ghostImageName(r.getValue().remapId()));
            if (img.isEmpty() || img.get().entries().isEmpty() || !(img.get().entries().getFirst().message() instanceof GhostFile.ghost_file_entry g)) continue;
            long size = g.hasSize() ? g.getSize() : img.get().entries().getFirst().hasExtra() ? img.get().entries().getFirst().extra().length : 0;
            out.add(new Embedded(Kind.GHOST, path, r.getValue().remapId(), size, g.getMode()));
        }
        images.optional("memfd.img").ifPresent(img -> {
            for (ImageEntry e : img.entries()) {
                if (e.message() instanceof Memfd.memfd_inode_entry m) {
                    out.add(new Embedded(Kind.MEMFD, "/memfd:" + m.getName(), m.getInodeId(), m.getSize(), m.hasMode() ? m.getMode() : 0100600));
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
        CriuImage img = images.required(ghostImageName(e.id()));
        List<ImageEntry> entries = img.entries();
        GhostFile.ghost_file_entry head = (GhostFile.ghost_file_entry) entries.getFirst().message();
        if (!head.getChunks()) {
            byte[] data = entries.getFirst().extra();
            if (data != null) out.write(data);
            return;
        }
        long written = 0;
        for (ImageEntry c : entries.subList(1, entries.size())) {
            if (!(c.message() instanceof GhostFile.ghost_chunk_entry chunk) || c.extra() == null) continue;
            if (chunk.getOff() < written) throw new CheckpointException(ghostImageName(e.id()) + ": overlapping chunks");
            if (chunk.getOff() > e.size()) throw new CheckpointException(ghostImageName(e.id()) + ": chunk beyond the file size");
            zeros(out, chunk.getOff() - written);
            out.write(c.extra());
            written = chunk.getOff() + c.extra().length;
        }
        if (written < e.size()) zeros(out, e.size() - written);
    }

    private void copyMemfd(Embedded e, OutputStream out) throws IOException {
        Memfd.memfd_inode_entry inode = null;
        for (ImageEntry x : images.required("memfd.img").entries()) {
            if (x.message() instanceof Memfd.memfd_inode_entry m && m.getInodeId() == e.id()) inode = m;
        }
        if (inode == null) throw new CheckpointException("memfd inode " + e.id() + " not in memfd.img");
        CriuImage pagemap = images.required("pagemap-shmem-" + Integer.toUnsignedLong(inode.getShmid()) + ".img");
        int pagesId = MemoryAreaReader.pagesId(pagemap);
        SeekableContent pages = archive.content("checkpoint/pages-" + pagesId + ".img");
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

    private static void zeros(OutputStream out, long n) throws IOException {
        byte[] z = new byte[8192];
        while (n > 0) {
            int k = (int) Math.min(z.length, n);
            out.write(z, 0, k);
            n -= k;
        }
    }
}
