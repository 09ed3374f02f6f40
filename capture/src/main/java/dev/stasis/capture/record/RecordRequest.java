package dev.stasis.capture.record;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to record: the process trees rooted at {@code pids} (every thread and every
 * descendant, and whatever they start while recording), into the .scap file
 * {@code output}, with read/write data cut at {@code snaplen} bytes (sysdig's
 * {@code -s}, 80 by default there); with {@code pcap}, also the network
 * namespace of the first pid with tcpdump.
 */
public record RecordRequest(List<Long> pids, Path output, int snaplen, Optional<Path> pcap) {
    /** sysdig's default snap length. */
    public static final int DEFAULT_SNAPLEN = 80;

    public RecordRequest {
        pids = List.copyOf(pids);
        Objects.requireNonNull(output, "output");
        pcap = pcap == null ? Optional.empty() : pcap;
        if (pids.isEmpty()) {
            throw new IllegalArgumentException("no process to record");
        }
        if (snaplen < 0) {
            throw new IllegalArgumentException("snap length must not be negative: " + snaplen);
        }
    }

    public RecordRequest(List<Long> pids, Path output) {
        this(pids, output, DEFAULT_SNAPLEN, Optional.empty());
    }
}
