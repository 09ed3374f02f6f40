package dev.stasis.sandbox.run;

import dev.stasis.sandbox.run.cage.RestoreArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One sandbox run.
 *
 * @param tcpEstablished empty: restore established connections (and take them over) when the checkpoint has any
 * @param runDir         where results go; null: {@code ./stasis-sandbox-<run id>}
 * @param interval       pause between two stimulus lines
 */
public record RunRequest(Path archive, Duration duration, Optional<Boolean> tcpEstablished, Stimulus stimulus, Path runDir,
                         RestoreArchive.Limits limits, Duration interval) {
    public RunRequest {
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("--duration must be positive");
        if (duration.compareTo(Duration.ofHours(24)) > 0) throw new IllegalArgumentException("--duration is capped at 24h");
    }

    public static RunRequest of(Path archive, Duration duration, Stimulus stimulus) {
        return new RunRequest(archive, duration, Optional.empty(), stimulus, null, RestoreArchive.Limits.standard(), Duration.ofMillis(1500));
    }

    public RunRequest withRunDir(Path dir) {
        return new RunRequest(archive, duration, tcpEstablished, stimulus, dir, limits, interval);
    }
}
