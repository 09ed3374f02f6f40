package dev.stasis.analysis.report;

/** A quote from process memory or a socket queue that a finding rests on. */
public record MemoryExcerpt(int pid, String address, String label, String text) {}
