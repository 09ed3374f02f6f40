package dev.stasis.analysis.report;

import java.time.Instant;
import java.util.List;

/**
 * Which container the checkpoint is of, as the report's header shows it. Fields
 * the archive does not record are null.
 */
public record Identity(String containerName, String containerId, String podName, String namespace, String image,
                       String imageRef, String engine, String runtime, String node, String hostname,
                       List<String> addresses, Instant createdAt, Instant checkpointedAt) {
    public Identity {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }
}
