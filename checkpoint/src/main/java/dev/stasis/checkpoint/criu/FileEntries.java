package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.Fdinfo;
import dev.stasis.checkpoint.criu.images.Memfd;
import dev.stasis.checkpoint.criu.images.RemapFilePath;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint-wide file objects a mapping can point at, as typed values: regular files and
 * memfds of {@code files.img}, memfd inodes of {@code memfd.img} and the remaps of deleted files
 * of {@code remap-fpath.img}. Ids are unsigned, as CRIU writes them.
 */
public final class FileEntries {
    private FileEntries() {}

    /** A {@code files.img} entry that a mapping or an fd can name. */
    public sealed interface FileObject permits Regular, MemfdFile {
        long id();
    }

    /**
     * A regular file: its path as the task saw it, the size CRIU recorded (null when it did not)
     * and the mount it lives on (null when not recorded).
     */
    public record Regular(long id, String name, Long size, Integer mountId) implements FileObject {}

    /** A memfd: the inode ({@code memfd.img}) that holds its name and content. */
    public record MemfdFile(long id, long inodeId) implements FileObject {}

    /** A memfd inode: its name (without "memfd:"), size and the shared-memory object holding its pages. */
    public record MemfdInode(long inodeId, String name, long size, long shmid) {}

    /**
     * A file CRIU had to remap because it was deleted ({@code GHOST}: saved in
     * {@code ghost-file-<remapId>.img}; {@code LINKED}: kept on the node under another name) or
     * because it is a /proc file of a dead task ({@code PROCFS}).
     */
    public record Remap(long origId, long remapId, String type) {
        public boolean ghost() {
            return "GHOST".equals(type);
        }
    }

    /** The regular files and memfds of a decoded {@code files.img}, in image order; other kinds are left out. */
    public static List<FileObject> files(CriuImage files) {
        List<FileObject> out = new ArrayList<>();
        for (ImageEntry e : files.entries()) {
            if (!(e.message() instanceof Fdinfo.file_entry f)) continue;
            long id = Integer.toUnsignedLong(f.getId());
            if (f.hasReg()) {
                var r = f.getReg();
                out.add(new Regular(id, r.getName(), r.hasSize() ? r.getSize() : null, r.hasMntId() ? r.getMntId() : null));
            }
            if (f.hasMemfd()) out.add(new MemfdFile(id, Integer.toUnsignedLong(f.getMemfd().getInodeId())));
        }
        return out;
    }

    /** The inodes of a decoded {@code memfd.img}, in image order. */
    public static List<MemfdInode> memfdInodes(CriuImage memfd) {
        List<MemfdInode> out = new ArrayList<>();
        for (ImageEntry e : memfd.entries()) {
            if (e.message() instanceof Memfd.memfd_inode_entry m)
                out.add(new MemfdInode(m.getInodeId(), m.getName(), m.getSize(), Integer.toUnsignedLong(m.getShmid())));
        }
        return out;
    }

    /** The remaps of a decoded {@code remap-fpath.img}, in image order (an entry without a type is LINKED, CRIU's default). */
    public static List<Remap> remaps(CriuImage remapFpath) {
        List<Remap> out = new ArrayList<>();
        for (ImageEntry e : remapFpath.entries()) {
            if (e.message() instanceof RemapFilePath.remap_file_path_entry r)
                out.add(new Remap(Integer.toUnsignedLong(r.getOrigId()), Integer.toUnsignedLong(r.getRemapId()), r.getRemapType().name()));
        }
        return out;
    }
}
