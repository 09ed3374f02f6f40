package dev.stasis.memory;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.container.RootfsDiffReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The regular files of a tar inside a checkpoint archive that holds a
 * filesystem's content: {@code rootfs-diff.tar} (what the container wrote to
 * its root filesystem), {@code checkpoint/tmpfs-dev-<dev>.tar.gz.img} (a tmpfs
 * mount CRIU saved) or Podman's {@code devshm-checkpoint.tar} (/dev/shm). Read
 * as a stream: one pass lists them, one pass per batch copies the wanted pages
 * out. Nothing is unpacked. Paths are relative to the filesystem's root.
 */
final class TarFiles {
    private static final int PAGE = Pagemap.PAGE_SIZE;

    /** A regular file in the diff; {@code dataName} is the tar entry holding its bytes (a hard link's target). */
    record Entry(String path, long size, String dataName) {}

    /** Receives one page of one file, zero-padded past its end. */
    interface Sink {
        void page(String path, long index, byte[] page) throws IOException;
    }

    private final CheckpointArchive archive;
    private final String member;
    private Map<String, Entry> files;

    TarFiles(CheckpointArchive archive, String member) {
        this.archive = archive;
        this.member = member;
    }

    String member() {
        return member;
    }

    /** The regular file at this path ("/x/y", relative to the filesystem's root), if the tar holds one. */
    synchronized Entry find(String path) {
        if (files == null) files = list();
        return files.get(path);
    }

    private Map<String, Entry> list() {
        Map<String, Entry> out = new HashMap<>();
        if (!archive.has(member)) return out;
        Map<String, String> links = new HashMap<>();
        walk((e, in) -> {
            String path = RootfsDiffReader.containerPath(e.getName());
            if (e.isLink()) links.put(path, RootfsDiffReader.containerPath(e.getLinkName()));
            else if (RootfsDiffReader.isRegular(e)) out.put(path, new Entry(path, e.getSize(), path));
            return true;
        });
        // a hard link's bytes are stored once, under the name it links to
        links.forEach((path, target) -> {
            Entry t = out.get(target);
            if (t != null) out.put(path, new Entry(path, t.size(), t.dataName()));
        });
        return out;
    }

    /** Streams the tar once and hands over the wanted pages (by page index, ascending) of each file. */
    void read(Map<Entry, NavigableSet<Long>> wanted, Sink sink) throws IOException {
        Map<String, Map<Entry, NavigableSet<Long>>> byData = new HashMap<>();
        wanted.forEach((e, pages) -> byData.computeIfAbsent(e.dataName(), k -> new HashMap<>()).put(e, pages));
        int[] left = {byData.size()};
        if (left[0] == 0) return;
        try {
            walk((e, in) -> {
                Map<Entry, NavigableSet<Long>> users = RootfsDiffReader.isRegular(e) && !e.isLink()
                        ? byData.get(RootfsDiffReader.containerPath(e.getName())) : null;
                if (users == null) return true;
                copyPages(in, e.getSize(), users, sink);
                return --left[0] > 0;   // stop once every wanted file was read
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** One sequential pass over a file's bytes; a page wanted by several mappings is read once. */
    private static void copyPages(InputStream in, long size, Map<Entry, NavigableSet<Long>> users, Sink sink) throws IOException {
        TreeMap<Long, List<Entry>> pages = new TreeMap<>();
        users.forEach((entry, set) -> set.forEach(i -> pages.computeIfAbsent(i, k -> new ArrayList<>()).add(entry)));
        long pos = 0;
        for (Map.Entry<Long, List<Entry>> p : pages.entrySet()) {
            long from = p.getKey() * PAGE;
            if (from >= size) break;
            in.skipNBytes(from - pos);
            byte[] page = new byte[PAGE];
            int n = in.readNBytes(page, 0, (int) Math.min(PAGE, size - from));
            pos = from + n;
            for (Entry e : p.getValue()) {
                try {
                    sink.page(e.path(), p.getKey(), page);
                } catch (IOException x) {
                    throw new UncheckedIOException(x);   // the sink's failure (writing the core), not the diff's
                }
            }
        }
    }

    private interface Visitor {
        /** @return false to stop the walk */
        boolean visit(TarArchiveEntry e, InputStream data) throws IOException;
    }

    private void walk(Visitor visitor) {
        try (InputStream raw = new BufferedInputStream(archive.open(member), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(gunzipIfNeeded(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!visitor.visit(e, tar)) return;
            }
        } catch (CheckpointException | UncheckedIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MemoryException(name() + " is corrupt: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** The member's name without the image directory, as the analyst knows it. */
    String name() {
        return member.startsWith(CheckpointArchive.IMAGE_DIR + "/") ? member.substring(CheckpointArchive.IMAGE_DIR.length() + 1) : member;
    }

    /** Podman and CRI-O write a plain rootfs-diff tar, containerd a gzip layer; CRIU's tmpfs images are gzip. */
    private static InputStream gunzipIfNeeded(InputStream in) throws IOException {
        in.mark(2);
        int a = in.read(), b = in.read();
        in.reset();
        return a == 0x1f && b == 0x8b ? new GzipCompressorInputStream(in, true) : in;
    }
}
