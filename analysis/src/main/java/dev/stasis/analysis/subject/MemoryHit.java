package dev.stasis.analysis.subject;

/** A match in process memory: where, and the text around it (printable, one line). */
public record MemoryHit(int pid, long address, String text) {}
