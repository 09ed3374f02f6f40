package dev.stasis.checkpoint.archive;

import java.time.Instant;

/**
 * One member of a checkpoint archive, with its name normalised (no leading "./",
 * no trailing "/"). Names never contain ".." components nor start with "/":
 * archives holding such names are rejected when opened.
 *
 * @param linkTarget the target of a symlink or hard link as written in the archive, else null
 */
public record ArchiveMember(String name, Type type, long size, int mode, String linkTarget, Instant modified) {
    public enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }

    public boolean isFile() {
        return type == Type.FILE;
    }

    /** The last path component. */
    public String fileName() {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }
}
