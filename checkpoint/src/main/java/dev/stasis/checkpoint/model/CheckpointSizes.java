package dev.stasis.checkpoint.model;

/**
 * Sizes in bytes. The first four are checkpointctl's {@code checkpoint_size} fields.
 *
 * @param total             sum of the regular files under {@code checkpoint/} (checkpointctl's {@code total_size})
 * @param memoryPages       sum of {@code checkpoint/pages-*.img}
 * @param rootfsDiff        size of {@code rootfs-diff.tar}, 0 when absent
 * @param amdGpuMemoryPages sum of {@code checkpoint/amdgpu-pages-*.img}
 * @param archiveFile       the archive file itself (compressed), or the directory's total
 */
public record CheckpointSizes(long total, long memoryPages, long rootfsDiff, long amdGpuMemoryPages, long archiveFile) {}
