package dev.stasis.analysis.subject;

import java.time.Instant;

/**
 * A file added or changed in the container's writable layer (the rootfs diff),
 * or recovered from the checkpoint (a deleted-but-open file, a memfd).
 *
 * @param type    file, dir, symlink, hardlink, other
 * @param mode    permission bits (e.g. 0755)
 * @param head    the first bytes of the content (up to {@link #HEAD_LIMIT}), for typing and scanning
 * @param origin  rootfs-diff, ghost-file or memfd
 */
public record DiffFile(String path, String type, long size, int mode, Instant modified, String sha256, byte[] head,
                       String linkTarget, String origin) {
    /** Scripts and configuration are small; executables are sniffed from their first bytes. */
    public static final int HEAD_LIMIT = 256 * 1024;

    public DiffFile {
        head = head == null ? new byte[0] : head;
    }

    public boolean isRegular() {
        return "file".equals(type);
    }

    public boolean executable() {
        return isRegular() && (mode & 0111) != 0;
    }

    public boolean complete() {
        return head.length >= size;
    }

    public String modeString() {
        return String.format("%04o", mode & 07777);
    }
}
