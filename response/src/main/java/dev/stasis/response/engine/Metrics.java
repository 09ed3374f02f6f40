package dev.stasis.response.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine's Prometheus metrics (names as scraped: {@code stasis_alerts_received_total}, ...). */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger queueDepth = new AtomicInteger();
    final Timer alertToCheckpoint;
    final Timer checkpointLatency;
    final Timer collectLatency;

    public Metrics() {
        registry.gauge("stasis_queue_depth", queueDepth);
        alertToCheckpoint = Timer.builder("stasis_alert_to_checkpoint_request").description("from an alert's arrival to its checkpoint request leaving stasis")
                .publishPercentiles(0.5, 0.99).register(registry);
        checkpointLatency = Timer.builder("stasis_checkpoint").description("checkpoint duration (backend call)")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
        collectLatency = Timer.builder("stasis_collect").description("collect duration (hash, store, remove)")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    public AtomicInteger queueDepth() {
        return queueDepth;
    }

    public void received(String envelope) {
        registry.counter("stasis_alerts_received", "envelope", envelope).increment();
    }

    public void rejected(String reason) {
        registry.counter("stasis_alerts_rejected", "reason", reason).increment();
    }

    public void matched(String rule) {
        registry.counter("stasis_alerts_matched", "rule", rule).increment();
    }

    public void deduplicated() {
        registry.counter("stasis_alerts_deduplicated").increment();
    }

    public void action(String type, String result) {
        registry.counter("stasis_actions", "type", type, "result", result).increment();
    }

    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }
}
