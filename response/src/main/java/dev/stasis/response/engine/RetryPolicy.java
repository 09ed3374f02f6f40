package dev.stasis.response.engine;

import java.time.Duration;

/** Exponential backoff: {@code base * 2^(attempt-1)}, capped, for at most {@code maxAttempts} tries. */
public record RetryPolicy(int maxAttempts, Duration base, Duration max) {
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public Duration delay(int attempt) {
        long ms = base.toMillis() << Math.min(20, attempt - 1);
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
}
