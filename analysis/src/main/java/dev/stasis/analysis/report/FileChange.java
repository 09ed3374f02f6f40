package dev.stasis.analysis.report;

/**
 * A change to the container's filesystem: a file in the rootfs diff, a
 * deleted image file, or a deleted-but-open file recovered from the checkpoint.
 *
 * @param change added, modified, deleted or deleted-open
 * @param type   what the content is (ELF executable, shell script, text, directory...)
 */
public record FileChange(String change, String path, String type, Long size, String mode, String sha256,
                         java.time.Instant modified, String note) {}
