package dev.stasis.checkpoint.model;

/**
 * CRIU's dump statistics ({@code stats-dump}, {@code dump_stats_entry}); times in microseconds.
 * Fields the image lacks are 0.
 */
public record CriuStatistics(long freezingTime, long frozenTime, long memdumpTime, long memwriteTime,
                             long pagesScanned, long pagesSkippedParent, long pagesWritten, long pagesLazy,
                             long irmapResolve, long pagePipes, long pagePipeBufs, long shpagesScanned,
                             long shpagesSkippedParent, long shpagesWritten) {}
