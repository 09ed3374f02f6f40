package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes files out of a checkpoint into one output directory and nowhere else. Names from the
 * archive are untrusted: ".." components and absolute paths are refused, links are never created
 * on disk (a symlink or hard link in the diff is reported, not followed or recreated), existing
 * files are never overwritten, and every parent is checked to be a real directory inside the
 * output directory before writing, so a planted symlink cannot redirect a write.
 */
public final class SafeExtractor {
    /** What happened to one entry. */
    public record Outcome(String path, Path written, String skipped) {}

    private final Path root;

    public SafeExtractor(Path outputDir) {
        try {
            Files.createDirectories(outputDir);
            this.root = outputDir.toRealPath();
        } catch (IOException e) {
            throw new CheckpointException("cannot create output directory " + outputDir + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** The place under the output directory for an archive path, or an exception naming why not. */
    public Path target(String archivePath) {
        String p = archivePath.replace('\\', '/');
        List<String> parts = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) throw new CheckpointException("refusing path with '..': " + printable(archivePath));
            if (part.indexOf('\0') >= 0) throw new CheckpointException("refusing path with a NUL byte");
            parts.add(part);
        }
        if (parts.isEmpty()) throw new CheckpointException("refusing empty path: " + printable(archivePath));
        Path t = root;
        for (String part : parts) t = t.resolve(part);
        if (!t.normalize().startsWith(root)) throw new CheckpointException("refusing path outside the output directory: " + printable(archivePath));
        return t;
    }

    /** Creates the parents of {@code target} as real directories under the root (never through a symlink). */
    void mkdirs(Path dir) throws IOException {
        Path rel = root.relativize(dir);
        Path cur = root;
        for (Path part : rel) {
            cur = cur.resolve(part);
            if (Files.isSymbolicLink(cur)) throw new CheckpointException("refusing to write through symbolic link " + cur);
            if (!Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(cur);
            else if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) throw new CheckpointException(cur + " exists and is not a directory");
        }
    }

    /** Opens a new file for writing (0600; never an existing file, never through a link). */
    public OutputStream create(Path target) throws IOException {
        if (!target.normalize().startsWith(root)) throw new CheckpointException("refusing path outside the output directory: " + target);
        mkdirs(target.getParent());
        try {
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new CheckpointException("refusing to overwrite " + target);
        }
        return Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    }

    /** Extracts one file of rootfs-diff.tar ("/tmp/perlbot.pl") to {@code <root>/<its path>}. */
    public Path extractDiffFile(CheckpointArchive archive, String containerPath) {
        String wanted = RootfsDiffReader.containerPath(containerPath);
        Path[] written = {null};
        String[] problem = {null};
        RootfsDiffReader.walk(archive, (entry, in) -> {
            if (written[0] != null || !RootfsDiffReader.containerPath(entry.getName()).equals(wanted)) return;
            if (!RootfsDiffReader.isRegular(entry)) {
                problem[0] = wanted + " is a " + (entry.isSymbolicLink() ? "symbolic link to " + entry.getLinkName()
                        : entry.isLink() ? "hard link to " + entry.getLinkName() : entry.isDirectory() ? "directory" : "special file")
                        + " in the rootfs diff; links are not extracted";
                return;
            }
            Path t = target(wanted);
            try (OutputStream out = create(t)) {
                in.transferTo(out);
            }
            written[0] = t;
        });
        if (written[0] == null) throw new CheckpointException(problem[0] != null ? problem[0] : wanted + " is not in the rootfs diff");
        return written[0];
    }

    /** Extracts the whole rootfs diff: regular files and directories only; links and specials are listed as skipped. */
    public List<Outcome> extractDiff(CheckpointArchive archive) {
        List<Outcome> out = new ArrayList<>();
        RootfsDiffReader.walk(archive, (entry, in) -> {
            String path = RootfsDiffReader.containerPath(entry.getName());
            Path t;
            try {
                t = target(path);
            } catch (CheckpointException e) {
                out.add(new Outcome(path, null, e.getMessage()));
                return;
            }
            try {
                if (entry.isDirectory()) {
                    mkdirs(t);
                    out.add(new Outcome(path, t, null));
                } else if (RootfsDiffReader.isRegular(entry)) {
                    try (OutputStream o = create(t)) {
                        in.transferTo(o);
                    }
                    out.add(new Outcome(path, t, null));
                } else if (entry.isSymbolicLink()) {
                    out.add(new Outcome(path, null, "symbolic link to " + printable(entry.getLinkName()) + " (not created)"));
                } else if (entry.isLink()) {
                    out.add(new Outcome(path, null, "hard link to " + printable(entry.getLinkName()) + " (not created)"));
                } else {
                    out.add(new Outcome(path, null, "special file (not created)"));
                }
            } catch (CheckpointException e) {
                out.add(new Outcome(path, null, e.getMessage()));
            }
        });
        return out;
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c < 0x20 || c == 0x7f ? '?' : c);
        return b.toString();
    }
}
