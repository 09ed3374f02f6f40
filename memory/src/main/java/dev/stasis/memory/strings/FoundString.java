package dev.stasis.memory.strings;

/** A run of printable text at a virtual address; {@code encoding} is "ascii" or "utf16le". */
public record FoundString(long address, String encoding, String text) {}
