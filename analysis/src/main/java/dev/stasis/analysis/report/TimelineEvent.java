package dev.stasis.analysis.report;

import java.time.Instant;

/**
 * One dated event reconstructed from the checkpoint (file times, container
 * times, log lines), in Timesketch's terms: when, what, and which kind of time.
 *
 * @param timestampDesc which timestamp this is ("File modified", "Container created"...)
 * @param source        where it came from (rootfs-diff, config.dump, ctr.log, ghost-file...)
 * @param findingId     the finding it supports, or null
 */
public record TimelineEvent(Instant time, String timestampDesc, String message, String source, String path,
                            String findingId) {}
