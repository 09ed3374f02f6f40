package dev.stasis.analysis.detect;

import dev.stasis.analysis.intel.ThreatIntel;

/**
 * What detectors get besides the subject: the analyst's threat intelligence and
 * the one sweep over process memory and socket queues that all memory-based
 * detectors share (memory is read once, however many detectors use it).
 */
public record DetectionContext(ThreatIntel intel, MemoryScan memory) {
    public DetectionContext {
        intel = intel == null ? ThreatIntel.empty() : intel;
        memory = memory == null ? MemoryScan.EMPTY : memory;
    }
}
