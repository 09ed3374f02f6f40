package dev.stasis.response.server;

/**
 * A token bucket: {@code perSecond} alerts a second on average, bursts up to
 * two seconds' worth. Past that, senders get 429 and Falcosidekick's next
 * alert goes through when the bucket refills.
 */
public final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    public RateLimiter(int perSecond) {
        this.perNano = perSecond / 1e9;
        this.capacity = Math.max(1, perSecond * 2.0);
        this.tokens = capacity;
        this.last = System.nanoTime();
    }

    public synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
