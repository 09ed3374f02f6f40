package dev.stasis.capture.record;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A finished recording: events written (enter and exit events, signals, exits),
 * processes that produced events, how long it ran, the capture and the pcap.
 */
public record RecordingSummary(long events, int processes, Duration duration, Path output, Optional<Path> pcap) {}
