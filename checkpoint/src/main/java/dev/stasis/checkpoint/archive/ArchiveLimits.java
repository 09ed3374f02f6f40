package dev.stasis.checkpoint.archive;

/**
 * Safety limits for untrusted archives.
 *
 * @param maxMemberRead   largest member {@link CheckpointArchive#read} returns as a byte array
 * @param maxInMemory     members up to this size (other than page images) are kept in memory
 *                        when a compressed archive is scanned; larger ones go to the spill file
 * @param maxUnpacked     total uncompressed bytes a compressed archive may expand to (decompression bombs)
 * @param maxMembers      number of members an archive may hold
 */
public record ArchiveLimits(long maxMemberRead, long maxInMemory, long maxUnpacked, int maxMembers) {
    public static final long MiB = 1L << 20;
    public static final long GiB = 1L << 30;

    public ArchiveLimits {
        if (maxMemberRead <= 0 || maxInMemory < 0 || maxUnpacked <= 0 || maxMembers <= 0) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
    }

    /**
     * Defaults: 256 MiB per in-memory read, 4 MiB members kept in memory, and 64 GiB unpacked
     * (override with the system property {@code stasis.archive.maxUnpacked}, in bytes).
     */
    public static ArchiveLimits defaults() {
        long unpacked = Long.getLong("stasis.archive.maxUnpacked", 64 * GiB);
        return new ArchiveLimits(256 * MiB, 4 * MiB, unpacked, 1_000_000);
    }

    public ArchiveLimits withMaxUnpacked(long bytes) {
        return new ArchiveLimits(maxMemberRead, maxInMemory, bytes, maxMembers);
    }

    public ArchiveLimits withMaxMemberRead(long bytes) {
        return new ArchiveLimits(bytes, maxInMemory, maxUnpacked, maxMembers);
    }
}
