package dev.stasis.capture.falco;

/** A rule that was read but will not run, and why (unsupported field, event, source, or a disabled rule). */
public record SkippedRule(String name, String reason) {}
