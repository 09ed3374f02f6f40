package dev.stasis.response.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine's Prometheus metrics (names as scraped: {@code stasis_alerts_received_total}, ...). */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter deduplicated;
    final Timer alertToCheckpoint;
    final Timer checkpointLatency;
    final Timer collectLatency;
    final Timer alertToArgo;
    final Timer argoSubmit;

    public Metrics() {
        registry.gauge("stasis_queue_depth", queueDepth);
        deduplicated = registry.counter("stasis_alerts_deduplicated");
        alertToCheckpoint = Timer.builder("stasis_alert_to_checkpoint_request").description("from an alert's arrival to its checkpoint request leaving stasis")
                .publishPercentiles(0.5, 0.99).register(registry);
        checkpointLatency = Timer.builder("stasis_checkpoint").description("checkpoint duration (backend call)")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
        collectLatency = Timer.builder("stasis_collect").description("collect duration (hash, store, remove)")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
        // executor argo: the alert's response is a workflow, and what the engine times is handing it over
        alertToArgo = Timer.builder("stasis_alert_to_argo_submit").description("from an alert's arrival to its workflow submission leaving stasis")
                .publishPercentiles(0.5, 0.99).register(registry);
        argoSubmit = Timer.builder("stasis_argo_submit").description("workflow submission to the Argo Server (request and answer)")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
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
        counter("stasis_alerts_received", "envelope", envelope).increment();
    }

    public void rejected(String reason) {
        counter("stasis_alerts_rejected", "reason", reason).increment();
    }

    public void matched(String rule) {
        counter("stasis_alerts_matched", "rule", rule).increment();
    }

    public void deduplicated() {
        deduplicated.increment();
    }

    public void action(String type, String result) {
        counter("stasis_actions", "type", type, "result", result).increment();
    }

    /**
     * The counter for a name and tag values, looked up once: the registry's own
     * lookup builds and hashes a meter id on every call, which is a cost paid on
     * every request under an alert storm.
     */
    private Counter counter(String name, String... tags) {
        String key = tags.length == 2 ? name + '\0' + tags[1] : name + '\0' + String.join("\0", tags);
        Counter c = counters.get(key);
        if (c == null) c = counters.computeIfAbsent(key, k -> registry.counter(name, tags));
        return c;
    }

    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }
}
