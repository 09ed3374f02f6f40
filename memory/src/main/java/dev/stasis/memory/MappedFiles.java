package dev.stasis.memory;

import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.container.RootfsDiffReader;
import dev.stasis.checkpoint.criu.GhostFileImage;
import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.FileEntries;
import dev.stasis.checkpoint.criu.FileEntries.Regular;
import dev.stasis.checkpoint.criu.FileEntries.Remap;
import dev.stasis.checkpoint.criu.ImageFormatException;
import dev.stasis.checkpoint.criu.MountPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;

/**
 * The content of mapped files where the checkpoint itself holds it. CRIU does
 * not dump the clean pages of a private file mapping (an executable's text, a
 * library's read-only data): restore reads them back from the file. A forensic
 * copy must never take them from the analyst's disk, but some files are inside
 * the checkpoint whole:
 * <ul>
 *   <li>ghost files: deleted while open or mapped, kept in {@code ghost-file-<id>.img};</li>
 *   <li>files the container wrote to its root filesystem, in {@code rootfs-diff.tar} (only for files
 *       on the container's root mount whose size matches what CRIU recorded);</li>
 *   <li>files on a tmpfs mount CRIU saved ({@code tmpfs-dev-<dev>.tar.gz.img}) or on Podman's
 *       /dev/shm ({@code devshm-checkpoint.tar}): POSIX shared memory, staging areas.</li>
 * </ul>
 * The last two need the archive. Memfd mappings need nothing here: their pages are in the
 * memfd's shmem pagemap, which {@link AddressSpace} already reads.
 */
public final class MappedFiles {
    /** Where a file-backed VMA's file is, as far as the checkpoint goes. */
    public sealed interface Backing permits Held, NotHeld {
        /** The mapped file's path as the container saw it. */
        String path();
    }

    public enum Kind {
        /** {@code ghost-file-<id>.img}: a deleted file CRIU saved. */
        GHOST_FILE,
        /** {@code rootfs-diff.tar}: a file the container wrote. */
        ROOTFS_DIFF,
        /** {@code tmpfs-dev-<dev>.tar.gz.img} or {@code devshm-checkpoint.tar}: a file on a tmpfs the checkpoint saved. */
        TMPFS
    }

    /**
     * The checkpoint holds the file: {@code origin} names where ("ghost-file-1.img", "rootfs-diff.tar:/opt/x",
     * "devshm-checkpoint.tar:/x" with the path inside that tar).
     */
    public record Held(Kind kind, String path, String origin, long size) implements Backing {}

    /** The checkpoint does not hold the file; {@code reason} says why, in words for the analyst. */
    public record NotHeld(String path, String reason) implements Backing {}

    /** Receives one page of a held file (4096 bytes, zeros past the file's end). */
    public interface PageSink {
        void page(Held file, long index, byte[] page) throws IOException;
    }

    /** Podman's copy of the container's /dev/shm (a tmpfs CRIU treats as external). */
    static final String DEVSHM = "devshm-checkpoint.tar";

    private final CheckpointMemory memory;
    private final CheckpointArchive archive;   // null: ghost files only
    private final Map<Long, Regular> regFiles = new HashMap<>();
    private final Map<Long, Remap> remaps = new HashMap<>();
    private final Set<Integer> rootMounts = new HashSet<>();
    private final Map<Integer, MountPoint> mounts = new HashMap<>();
    private final Map<Long, Optional<Ghost>> ghosts = new HashMap<>();

    /** A ghost file: its image, read through checkpoint's one ghost-file decoder. */
    private record Ghost(String image, PageFile file, GhostFileImage index) {
        long size() {
            return index.contentLength();
        }

        /** The file's page {@code i} (zeros past the end and in holes). */
        byte[] page(long i) throws IOException {
            byte[] page = new byte[Pagemap.PAGE_SIZE];
            try {
                index.readAt(file::read, i * Pagemap.PAGE_SIZE, page);
            } catch (ImageFormatException e) {
                throw SourceImages.damaged(image, e);
            }
            return page;
        }
    }

    private final Map<String, TarFiles> tars = new HashMap<>();
    /** How each Held answer from a tar was found, for read(). */
    private final Map<Held, TarFiles.Entry> tarEntries = new HashMap<>();
    private final Map<Held, TarFiles> tarOf = new HashMap<>();

    private MappedFiles(CheckpointMemory memory, CheckpointArchive archive) {
        this.memory = memory;
        this.archive = archive;
        MemorySource src = memory.source();
        try {
            Set<String> names = new HashSet<>(src.names());
            Optional<CriuImage> files = SourceImages.read(src, names, "files.img");
            if (files.isPresent()) for (FileEntries.FileObject f : FileEntries.files(files.get()))
                if (f instanceof Regular r) regFiles.put(r.id(), r);
            Optional<CriuImage> remapped = SourceImages.read(src, names, "remap-fpath.img");
            if (remapped.isPresent()) for (Remap r : FileEntries.remaps(remapped.get())) remaps.put(r.origId(), r);
            for (String n : names) {
                if (!n.startsWith("mountpoints-") || !n.endsWith(".img")) continue;
                for (MountPoint m : MountPoint.read(SourceImages.read(src, names, n).orElseThrow())) {
                    mounts.put(m.mountId(), m);
                    if (m.mountpoint().equals("/")) rootMounts.add(m.mountId());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ghost files only (everything under the checkpoint's image directory). */
    public static MappedFiles of(CheckpointMemory memory) {
        return new MappedFiles(memory, null);
    }

    /**
     * Ghost files, the archive's {@code rootfs-diff.tar} and its saved tmpfs mounts; {@code archive} must be
     * the one {@code memory} was read from.
     */
    public static MappedFiles of(CheckpointMemory memory, CheckpointArchive archive) {
        return new MappedFiles(memory, archive);
    }

    /** Where the file behind a file-backed VMA is held, or why it is not. Not for anonymous or memfd VMAs. */
    public synchronized Backing backing(Vma vma) {
        String path = vma.name().endsWith(" (deleted)") ? vma.name().substring(0, vma.name().length() - " (deleted)".length()) : vma.name();
        if (vma.is(Vma.AREA_MEMFD)) return new NotHeld(path, "a memfd: its pages are in its shmem pagemap or were never written");
        Regular reg = regFiles.get(vma.fileId());
        if (!vma.fileBacked() || reg == null) return new NotHeld(path, "not a regular file in files.img");
        Remap remap = remaps.get(vma.fileId());
        if (remap != null) {
            if (!remap.ghost())
                return new NotHeld(path, "deleted; CRIU kept it on the node's filesystem (" + remap.type().toLowerCase(java.util.Locale.ROOT) + " remap), not in the checkpoint");
            Optional<Ghost> g = ghost(remap.remapId());
            if (g.isEmpty()) return new NotHeld(path, "deleted; ghost-file-" + remap.remapId() + ".img is missing or not a regular file");
            return new Held(Kind.GHOST_FILE, path, g.get().image(), g.get().size());
        }
        if (archive == null) return new NotHeld(path, "not in the checkpoint's images (rootfs-diff.tar and saved tmpfs mounts not consulted)");
        MountPoint m = reg.mountId() != null ? mounts.get(reg.mountId()) : null;
        if (rootMounts.isEmpty() || reg.mountId() == null || rootMounts.contains(reg.mountId()))
            return fromTar(Kind.ROOTFS_DIFF, path, RootfsDiffReader.MEMBER, path, reg, "from the container image's layers, not in the checkpoint");
        if (m != null) {
            String inside = relativeTo(path, m);
            String tmpfs = CheckpointArchive.IMAGE_DIR + "/tmpfs-dev-" + m.rootDev() + ".tar.gz.img";
            if (m.fstype() == MountPoint.FSTYPE_TMPFS && inside != null && archive.has(tmpfs))
                return fromTar(Kind.TMPFS, path, tmpfs, inside, reg, "not in " + tmpfs.substring(tmpfs.indexOf('/') + 1));
            if (m.mountpoint().equals("/dev/shm") && inside != null && archive.has(DEVSHM))
                return fromTar(Kind.TMPFS, path, DEVSHM, inside, reg, "not in " + DEVSHM);
        }
        return new NotHeld(path, "on mount " + (reg.mountId() == null ? -1 : reg.mountId()) + (m == null ? "" : " (" + m.mountpoint() + ")") + ", not in the checkpoint");
    }

    private Backing fromTar(Kind kind, String path, String member, String inside, Regular reg, String absent) {
        TarFiles tar = tars.computeIfAbsent(member, k -> new TarFiles(archive, k));
        TarFiles.Entry e = tar.find(inside);
        if (e == null) return new NotHeld(path, absent);
        if (reg.size() != null && reg.size() != e.size())
            return new NotHeld(path, tar.name() + " holds " + e.size() + " bytes, the mapped file had " + reg.size() + ": not the same content");
        Held h = new Held(kind, path, tar.name() + ":" + inside, e.size());
        tarEntries.put(h, e);
        tarOf.put(h, tar);
        return h;
    }

    /** The path inside a mount's filesystem ("/dev/shm/x" on /dev/shm with root "/" is "/x"), or null if not under it. */
    private static String relativeTo(String path, MountPoint m) {
        String mp = m.mountpoint();
        if (!path.startsWith(mp.endsWith("/") ? mp : mp + "/")) return null;
        String rest = path.substring(mp.length());
        String root = m.root();
        return root.equals("/") || root.isEmpty() ? rest : (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + rest;
    }

    /**
     * Hands over the wanted pages (page indexes into each file, ascending) of held files; pages at or past
     * a file's end are skipped. Each tar (rootfs-diff, tmpfs copies) is read in one pass.
     */
    public void read(Map<Held, NavigableSet<Long>> wanted, PageSink sink) throws IOException {
        Map<TarFiles, Map<TarFiles.Entry, NavigableSet<Long>>> fromTars = new LinkedHashMap<>();
        Map<TarFiles, Map<String, Held>> byPath = new HashMap<>();
        for (Map.Entry<Held, NavigableSet<Long>> w : wanted.entrySet()) {
            Held h = w.getKey();
            if (h.kind() == Kind.GHOST_FILE) {
                Ghost g = ghostByImage(h.origin());
                for (long i : w.getValue()) {
                    if (i * Pagemap.PAGE_SIZE >= g.size()) break;
                    sink.page(h, i, g.page(i));
                }
                continue;
            }
            TarFiles tar;
            TarFiles.Entry e;
            synchronized (this) {
                tar = tarOf.get(h);
                e = tarEntries.get(h);
            }
            if (tar == null) throw new IllegalArgumentException(h.origin() + " was not resolved by backing()");
            fromTars.computeIfAbsent(tar, k -> new LinkedHashMap<>()).put(e, w.getValue());
            byPath.computeIfAbsent(tar, k -> new HashMap<>()).put(e.path(), h);
        }
        for (Map.Entry<TarFiles, Map<TarFiles.Entry, NavigableSet<Long>>> t : fromTars.entrySet()) {
            Map<String, Held> held = byPath.get(t.getKey());
            t.getKey().read(t.getValue(), (path, index, page) -> sink.page(held.get(path), index, page));
        }
    }

    private synchronized Optional<Ghost> ghost(long remapId) {
        return ghosts.computeIfAbsent(remapId, id -> {
            String name = dev.stasis.checkpoint.container.EmbeddedFiles.ghostImageName(id);
            try {
                Optional<PageFile> f = memory.source().names().contains(name) ? memory.source().pages(name) : Optional.empty();
                if (f.isEmpty()) return Optional.empty();
                GhostFileImage index;
                try {
                    index = GhostFileImage.read(name, f.get().size(), f.get()::read);
                } catch (ImageFormatException e) {
                    throw SourceImages.damaged(name, e);
                }
                // a ghost symlink or device has no content to map
                return index.regular() ? Optional.of(new Ghost(name, f.get(), index)) : Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private synchronized Ghost ghostByImage(String image) {
        for (Optional<Ghost> g : ghosts.values())
            if (g.isPresent() && g.get().image().equals(image)) return g.get();
        throw new IllegalArgumentException(image + " was not resolved by backing()");
    }
}
