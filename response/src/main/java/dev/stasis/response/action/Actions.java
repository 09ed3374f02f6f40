package dev.stasis.response.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.evidence.Provenance;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.Target;
import dev.stasis.response.backend.Checkpoint;
import dev.stasis.response.backend.CheckpointBackend;
import dev.stasis.response.backend.CheckpointOptions;
import dev.stasis.response.collect.Collected;
import dev.stasis.response.collect.Collector;
import dev.stasis.response.k8s.Cluster;
import dev.stasis.response.policy.ActionSpec;
import dev.stasis.response.policy.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Runs one action of a policy for one alert and returns its result as JSON
 * (kept in the journal so a resumed alert can feed a checkpoint's path to the
 * collect that follows it). Every action is idempotent for the same alert.
 */
public final class Actions {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Map<String, CheckpointBackend> backends;
    private final String defaultBackend;
    private final Map<String, Collector> collectors;
    private final Cluster cluster;
    private final Notifier notifier;
    private final String collectorName;
    /** Checkpoints running at once: each is a CRIU dump (CPU, memory, disk), and an alert storm must not start hundreds. */
    private final java.util.concurrent.Semaphore checkpointSlots;

    /**
     * @param backends       checkpoint backends by name
     * @param defaultBackend the one used when an action does not name one
     * @param collectors     the collector for each backend's archives, by backend name
     * @param cluster        the Kubernetes API (label, annotate, isolate), or null when not in a cluster
     * @param notifier       webhook sender
     * @param collectorName  the engine's identity recorded as the collector in provenance
     */
    public Actions(Map<String, CheckpointBackend> backends, String defaultBackend, Map<String, Collector> collectors, Cluster cluster,
                   Notifier notifier, String collectorName) {
        this(backends, defaultBackend, collectors, cluster, notifier, collectorName, dev.stasis.response.config.ServeConfig.DEFAULT_MAX_CONCURRENT_CHECKPOINTS);
    }

    /** @param maxConcurrentCheckpoints checkpoints running at once; the others wait for a slot (in arrival order) */
    public Actions(Map<String, CheckpointBackend> backends, String defaultBackend, Map<String, Collector> collectors, Cluster cluster,
                   Notifier notifier, String collectorName, int maxConcurrentCheckpoints) {
        if (maxConcurrentCheckpoints < 1) throw new IllegalArgumentException("maxConcurrentCheckpoints " + maxConcurrentCheckpoints);
        this.checkpointSlots = new java.util.concurrent.Semaphore(maxConcurrentCheckpoints, true);
        this.backends = Map.copyOf(backends);
        this.defaultBackend = defaultBackend;
        this.collectors = Map.copyOf(collectors);
        this.cluster = cluster;
        this.notifier = notifier;
        this.collectorName = collectorName;
    }

    /**
     * What a step needs: the alert, its target, and the checkpoint an earlier step took (or null).
     *
     * @param step    the step's index in its policy rule (with the alert id, the action's stable identity)
     * @param resumed an attempt of this step had started before the engine stopped (the journal holds its {@code attempt} record)
     */
    public record StepInput(String alertId, Alert alert, Target target, String rule, Checkpoint checkpoint, int step, boolean resumed) {
        public StepInput(String alertId, Alert alert, Target target, String rule, Checkpoint checkpoint) {
            this(alertId, alert, target, rule, checkpoint, 0, false);
        }
    }

    /**
     * Runs just before a checkpoint request leaves, once a slot is free: the
     * engine journals the attempt there (durably, so a restart knows to look
     * for what it left) and measures latency.
     */
    public interface CheckpointHook {
        void beforeRequest(StepInput in);
    }

    public ObjectNode run(ActionSpec spec, StepInput in, CheckpointHook hook) {
        return switch (spec.type()) {
            case CHECKPOINT -> checkpoint(spec, in, hook);
            case COLLECT -> collect(spec, in);
            case LABEL -> {
                k8s(in).label(in.target().namespace(), in.target().pod(), spec.stringMap("labels"));
                yield JSON.createObjectNode().put("pod", in.target().namespace() + "/" + in.target().pod());
            }
            case ANNOTATE -> {
                Map<String, String> a = new java.util.LinkedHashMap<>(spec.stringMap("annotations"));
                a.putIfAbsent("stasis.dev/alert-id", in.alertId());
                k8s(in).annotate(in.target().namespace(), in.target().pod(), a);
                yield JSON.createObjectNode().put("pod", in.target().namespace() + "/" + in.target().pod());
            }
            case ISOLATE -> {
                String name = k8s(in).isolate(in.target().namespace(), in.target().pod(), spec.option("name", null));
                yield JSON.createObjectNode().put("networkPolicy", in.target().namespace() + "/" + name);
            }
            case NOTIFY -> {
                String text = spec.option("text", "stasis: Falco rule '${rule}' (${priority}) on ${target}: responding with policy '${policy}'")
                        .replace("${rule}", in.alert().rule()).replace("${priority}", in.alert().priority().falcoName())
                        .replace("${target}", in.target().toString()).replace("${policy}", in.rule())
                        .replace("${checkpoint}", in.checkpoint() == null ? "-" : in.checkpoint().path())
                        .replace("${output}", in.alert().output());
                notifier.send(spec.option("url", ""), text, spec.option("channel", null), in.alertId());
                yield JSON.createObjectNode().put("sent", true);
            }
        };
    }

    private ObjectNode checkpoint(ActionSpec spec, StepInput in, CheckpointHook hook) {
        String name = spec.option("backend", "default");
        if (name.equals("default")) name = defaultBackend;
        CheckpointBackend b = backends.get(name);
        if (b == null) throw new ActionException("checkpoint backend '" + name + "' is not configured on this engine", false);
        Duration timeout = Durations.parse(spec.option("timeout", "60s"));
        CheckpointOptions opts = new CheckpointOptions(timeout, Boolean.parseBoolean(spec.option("leaveRunning", "true")), spec.option("compress", "zstd"));
        String action = in.alertId() + "-" + in.step();
        try {
            checkpointSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("interrupted while waiting for a checkpoint slot", true);
        }
        try {
            String note = null;
            if (in.resumed()) {
                CheckpointBackend.Recovery r = b.recover(in.target(), opts, action);
                note = r.note();
                if (r.adopted() != null) return toJson(r.adopted()).put("recovery", note);
            }
            if (hook != null) hook.beforeRequest(in);
            ObjectNode n = toJson(b.checkpoint(in.target(), opts, action));
            return note == null ? n : n.put("recovery", note);
        } finally {
            checkpointSlots.release();
        }
    }

    /**
     * A checkpoint as its step result, {@code {"backend","node","path","takenAt"}}
     * (what the mapper would write for the record, built without its
     * reflection: this runs for every checkpoint under an alert storm).
     */
    static ObjectNode toJson(Checkpoint c) {
        ObjectNode n = JSON.createObjectNode().put("backend", c.backend()).put("node", c.node()).put("path", c.path());
        return n.put("takenAt", c.takenAt() == null ? null : c.takenAt().toString());
    }

    private ObjectNode collect(ActionSpec spec, StepInput in) {
        Checkpoint c = in.checkpoint();
        if (c == null) throw new ActionException("nothing to collect: the checkpoint step did not produce an archive", false);
        Collector collector = collectors.get(c.backend());
        if (collector == null) throw new ActionException("no collector configured for " + c.backend() + " checkpoints", false);
        Target t = in.target();
        Provenance p = Provenance.builder().alert(in.alert().raw()).node(c.node().isEmpty() ? t.node() : c.node())
                .namespace(blank(t.namespace())).pod(blank(t.pod())).container(blank(t.container())).containerId(blank(t.containerId()))
                .image(blank(in.alert().field("container.image.repository")))
                .runtimePath(c.path()).checkpointTime(c.takenAt()).collectedAt(Instant.now()).collector(collectorName)
                .sourceName(java.nio.file.Path.of(c.path()).getFileName().toString()).build();
        String reason = spec.option("reason", "falco rule '" + in.alert().rule() + "' (" + in.alert().priority().falcoName() + "), alert " + in.alertId()
                + ", policy rule '" + in.rule() + "'");
        Collected got = collector.collect(c, p, reason, Boolean.parseBoolean(spec.option("keepOnNode", "false")));
        return JSON.valueToTree(got);
    }

    private Cluster k8s(StepInput in) {
        if (cluster == null) throw new ActionException("label/annotate/isolate need the Kubernetes API, and this engine has none configured", false);
        if (!in.target().isKubernetes()) throw new ActionException("the alert names no pod (k8s.ns.name, k8s.pod.name)", false);
        return cluster;
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The checkpoint a step result records (see {@link #toJson}), or null when it records none readable. */
    public static Checkpoint checkpointOf(com.fasterxml.jackson.databind.JsonNode result) {
        if (result == null || !result.isObject()) return null;
        try {
            String at = text(result, "takenAt");
            return new Checkpoint(text(result, "backend"), text(result, "node"), text(result, "path"), at == null ? null : Instant.parse(at));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode n, String field) {
        com.fasterxml.jackson.databind.JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
