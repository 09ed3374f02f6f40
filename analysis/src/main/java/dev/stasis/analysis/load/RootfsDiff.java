package dev.stasis.analysis.load;

import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.container.RootfsDiffReader;
import dev.stasis.checkpoint.model.RootfsDiffEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The container's writable layer as the detectors see it: the checkpoint module's
 * {@link Checkpoint#rootfsDiff()} (metadata and SHA-256 of every entry) plus the first
 * bytes of each regular file, for typing and scanning, which the model does not carry.
 * Whiteouts (containerd's {@code .wh.} entries) become deleted paths.
 */
final class RootfsDiff {
    /** Head bytes kept in all; past this only 4 KiB per file (enough to type it). */
    static final long HEAD_BUDGET = 64L * 1024 * 1024;
    static final int TYPING_HEAD = 4096;
    static final int MAX_ENTRIES = 200_000;
    private static final String OPAQUE = ".wh..wh..opq";

    private RootfsDiff() {}

    /** Adds the diff's files to {@code files} and its whiteouts to {@code deleted}, in the tar's order. */
    static void read(Checkpoint cp, List<DiffFile> files, List<String> deleted, List<String> notices) {
        List<RootfsDiffEntry> entries;
        List<byte[]> heads;
        try {
            entries = cp.rootfsDiff();
            heads = heads(cp, entries);
        } catch (CheckpointException e) {
            notices.add(RootfsDiffReader.MEMBER + " could not be read completely (" + CheckpointSubjects.oneLine(e) + ")");
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (i == MAX_ENTRIES) {
                notices.add(RootfsDiffReader.MEMBER + " has more than " + MAX_ENTRIES + " entries; the rest were not examined");
                break;
            }
            RootfsDiffEntry e = entries.get(i);
            if (!meaningful(e.path())) continue;
            if (e.type().equals("whiteout")) {
                whiteout(e.path(), deleted);
                continue;
            }
            files.add(new DiffFile(e.path(), e.type(), e.size(), e.mode(), e.modified(), e.sha256(), heads.get(i), e.linkTarget(),
                    "rootfs-diff"));
        }
    }

    /**
     * The first bytes of each regular file, by entry position (the walk visits the tar in the
     * same order as {@link Checkpoint#rootfsDiff()} lists it); empty for everything else.
     */
    private static List<byte[]> heads(Checkpoint cp, List<RootfsDiffEntry> entries) {
        List<byte[]> heads = new ArrayList<>(entries.size());
        if (entries.isEmpty()) return heads;
        long[] budget = {HEAD_BUDGET};
        RootfsDiffReader.walk(cp.archive(), (tarEntry, data) -> {
            int i = heads.size();
            RootfsDiffEntry e = i < Math.min(entries.size(), MAX_ENTRIES) ? entries.get(i) : null;
            if (e == null || !e.type().equals("file") || !e.path().equals(RootfsDiffReader.containerPath(tarEntry.getName()))) {
                heads.add(new byte[0]);
                return;
            }
            int keep = (int) Math.min(e.size(), budget[0] > 0 ? DiffFile.HEAD_LIMIT : TYPING_HEAD);
            byte[] head = data.readNBytes(keep);
            budget[0] -= head.length;
            heads.add(head);
        });
        while (heads.size() < entries.size()) heads.add(new byte[0]);
        return heads;
    }

    /** "/dir/.wh.name" deletes "/dir/name"; the opaque marker only hides the lower layer's directory. */
    private static void whiteout(String path, List<String> deleted) {
        int slash = path.lastIndexOf('/');
        String base = path.substring(slash + 1);
        if (!base.equals(OPAQUE)) deleted.add(path.substring(0, slash + 1) + base.substring(".wh.".length()));
    }

    /** Not the layer's root entry, and no name that climbs out of it ("../"). */
    private static boolean meaningful(String path) {
        if (path.equals("/") || path.equals("/.")) return false;
        for (String part : path.split("/")) if (part.equals("..")) return false;
        return true;
    }
}
