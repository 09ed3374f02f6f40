package dev.stasis.analysis.load;

import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.container.EmbeddedFiles;
import dev.stasis.checkpoint.container.EmbeddedFiles.Embedded;
import dev.stasis.checkpoint.container.EmbeddedFiles.Kind;
import dev.stasis.checkpoint.model.OpenFile;
import dev.stasis.checkpoint.model.ProcessInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Content that exists only inside the checkpoint, read with the checkpoint module's
 * {@link EmbeddedFiles}: files deleted while open (CRIU's ghost files) and memfds. Each is
 * hashed and its first bytes kept, as the detectors need; nothing is written to disk.
 */
final class RecoveredFiles {

    private RecoveredFiles() {}

    /** Ghost files (by the path the process saw), then memfds ("/memfd:NAME"), each kind by path. */
    static List<DiffFile> read(Checkpoint cp, List<ProcessInfo> processes, List<String> notices) {
        EmbeddedFiles embedded = new EmbeddedFiles(cp.archive(), notices);
        List<Embedded> found = new ArrayList<>(embedded.list());
        found.sort(Comparator.comparing(Embedded::kind)); // stable: keeps the path order within a kind
        List<DiffFile> out = new ArrayList<>();
        for (Embedded e : found) {
            out.add(switch (e.kind()) {
                case GHOST -> ghost(embedded, e, notices);
                case MEMFD -> memfd(embedded, e, notices);
            });
        }
        noteMissingGhosts(processes, found, notices);
        return out;
    }

    private static DiffFile ghost(EmbeddedFiles embedded, Embedded e, List<String> notices) {
        DigestingSink sink = new DigestingSink(DiffFile.HEAD_LIMIT);
        if (!copy(embedded, e, sink, notices)) {
            return new DiffFile(e.path(), "file", e.size(), e.mode(), null, null, null, null, "ghost-file");
        }
        return new DiffFile(e.path(), "file", Math.max(e.size(), sink.count()), e.mode(), e.modified(), sink.sha256(),
                sink.head(), null, "ghost-file");
    }

    private static DiffFile memfd(EmbeddedFiles embedded, Embedded e, List<String> notices) {
        DigestingSink sink = new DigestingSink(DiffFile.HEAD_LIMIT);
        if (!copy(embedded, e, sink, notices)) {
            return new DiffFile(e.path(), "file", e.size(), e.mode(), null, null, null, null, "memfd");
        }
        return new DiffFile(e.path(), "file", e.size(), e.mode(), null, sink.sha256(), sink.head(), null, "memfd");
    }

    /** Streams the content into the sink; false (with a notice) when the checkpoint lacks or garbles it. */
    private static boolean copy(EmbeddedFiles embedded, Embedded e, DigestingSink sink, List<String> notices) {
        try {
            embedded.copy(e, sink);
            return true;
        } catch (CheckpointException | IOException | UncheckedIOException ex) {
            String what = e.kind() == Kind.MEMFD ? "the pages of memfd " + e.path().substring("/memfd:".length()) : "the content of " + e.path();
            notices.add(what + " could not be read (" + CheckpointSubjects.oneLine(ex) + "): it cannot be recovered");
            return false;
        }
    }

    /** A file open as a ghost whose content the checkpoint does not hold: say so rather than stay silent. */
    private static void noteMissingGhosts(List<ProcessInfo> processes, List<Embedded> found, List<String> notices) {
        Set<String> recovered = new HashSet<>();
        for (Embedded e : found) if (e.kind() == Kind.GHOST) recovered.add(e.path());
        Set<String> noted = new HashSet<>();
        for (ProcessInfo p : processes) {
            for (OpenFile f : p.files()) {
                if (!(f instanceof OpenFile.Regular r) || !r.ghost()) continue;
                String path = ProcessViews.withoutDeletedMark(r.path());
                if (!recovered.contains(path) && noted.add(path)) {
                    notices.add("the ghost-file image of " + path + " is missing: the deleted file cannot be recovered");
                }
            }
        }
    }
}
