package dev.stasis.checkpoint.archive;

/** How a checkpoint's bytes are packed; always sniffed from magic bytes, never from the file name. */
public enum Compression {
    /** zstd frame magic 28 b5 2f fd (Podman's default export). */
    ZSTD,
    /** gzip magic 1f 8b (Podman {@code --compress gzip}; containerd rootfs layers). */
    GZIP,
    /** A plain POSIX tar: "ustar" at offset 257 (kubelet/CRI-O and containerd archives). */
    NONE,
    /** Not an archive: a directory of CRIU images or an unpacked checkpoint. */
    DIRECTORY
}
