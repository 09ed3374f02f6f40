package dev.stasis.checkpoint.model;

/**
 * A file the container added or changed relative to its image ({@code rootfs-diff.tar}).
 *
 * @param path       absolute path in the container ("/tmp/perlbot.pl")
 * @param type       "file", "dir", "symlink", "hardlink", "whiteout" (containerd's {@code .wh.} entries), "other"
 * @param linkTarget for links
 * @param sha256     hex digest of a regular file's contents, null otherwise
 */
public record RootfsDiffEntry(String path, String type, long size, int mode, String linkTarget, String sha256,
                              java.time.Instant modified) {}
