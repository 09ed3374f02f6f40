package dev.stasis.analysis.report;

/** The evidence file the report was made from, so the report can be tied back to it. */
public record SourceInfo(String path, long size, String sha256, String compression) {}
