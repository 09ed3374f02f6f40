package dev.stasis.response.backend;

import java.time.Duration;

/**
 * How to checkpoint.
 *
 * @param timeout      how long the runtime may take (the kubelet's {@code timeout} parameter)
 * @param leaveRunning keep the container running after the checkpoint (podman; the kubelet always does)
 * @param compress     archive compression where the backend chooses it: zstd, gzip or none
 */
public record CheckpointOptions(Duration timeout, boolean leaveRunning, String compress) {
    public static CheckpointOptions defaults() {
        return new CheckpointOptions(Duration.ofSeconds(60), true, "zstd");
    }
}
