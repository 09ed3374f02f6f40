package dev.stasis.response.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.response.action.ActionException;
import dev.stasis.response.action.Actions;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.AlertException;
import dev.stasis.response.alert.AlertParser;
import dev.stasis.response.alert.Target;
import dev.stasis.response.argo.ArgoExecutor;
import dev.stasis.response.backend.Checkpoint;
import dev.stasis.response.journal.Journal;
import dev.stasis.response.journal.JournalException;
import dev.stasis.response.journal.PendingAlert;
import dev.stasis.response.policy.ActionSpec;
import dev.stasis.response.policy.ActionType;
import dev.stasis.response.policy.Policy;
import dev.stasis.response.policy.PolicyRule;
import dev.stasis.response.store.SharedStore;
import java.io.Closeable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The response engine: decides what an alert calls for, journals it, and
 * runs its actions in order on a virtual thread, with retries and backoff.
 *
 * <p>Order of events for an alert: policy match and cool-down decision (in
 * memory), then the journal record (fsynced), and only then the caller's 202;
 * the actions start alongside the journal write (see {@link #accept}). An
 * engine killed after the 202 finds the alert pending in the journal on its
 * next start and resumes it from the first unfinished step.
 */
public final class ResponseEngine implements Closeable {

    private final Supplier<Policy> policy;
    /** The single-replica journal, or null when replicas share {@link #shared}. */
    private final Journal journal;
    /** The store replicas share (PostgreSQL), or null with the journal. */
    private final SharedStore shared;
    private final Actions actions;
    private final Metrics metrics;
    private final JsonLog log;
    private final RetryPolicy retry;
    private final Actions.CheckpointHook hook;
    private volatile StepRecorder recorder = StepRecorder.NONE;
    /** executor argo: where accepted alerts are handed instead of running their actions here; null runs them in-process. */
    private volatile ArgoExecutor argo;
    private final Map<String, Long> lastActed = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closed;

    public ResponseEngine(Supplier<Policy> policy, Journal journal, Actions actions, Metrics metrics, JsonLog log, RetryPolicy retry,
                          Actions.CheckpointHook hook) {
        this.policy = policy;
        this.journal = journal;
        this.shared = null;
        this.actions = actions;
        this.metrics = metrics;
        this.log = log;
        this.retry = retry;
        this.hook = hook;
        lastActed.putAll(journal.actedAt());
        journal.onTrouble(m -> log.warn("journal.trouble", "error", m));
    }

    /**
     * An engine that shares its alerts and cool-downs with other replicas through {@code store}:
     * the cool-down is decided in the store (one replica acts per container and cool-down), an
     * alert is committed there before its 202, and alerts a dead replica left are taken over.
     * Call {@link #resume()} to start the take-over.
     */
    public ResponseEngine(Supplier<Policy> policy, SharedStore store, Actions actions, Metrics metrics, JsonLog log, RetryPolicy retry,
                          Actions.CheckpointHook hook) {
        this.policy = policy;
        this.journal = null;
        this.shared = store;
        this.actions = actions;
        this.metrics = metrics;
        this.log = log;
        this.retry = retry;
        this.hook = hook;
        store.onTrouble(m -> log.warn("store.trouble", "error", m));
    }

    /** Where finished steps are also recorded (the case database); default none. */
    public void recordStepsIn(StepRecorder r) {
        recorder = r == null ? StepRecorder.NONE : r;
    }

    /**
     * Hands every alert the policy acts on to Argo Workflows (one workflow submission, journalled as the
     * alert's one step) instead of running its actions in this process. Call before {@link #resume()}.
     */
    public void executeOn(ArgoExecutor executor) {
        argo = executor;
    }

    public Metrics metrics() {
        return metrics;
    }

    /**
     * Resumes the alerts the journal found unfinished; returns how many. With a shared store, starts
     * taking over the alerts of replicas that died instead (they come in while the engine runs); 0.
     */
    public int resume() {
        if (shared != null) {
            shared.start(p -> {
                if (closed) return; // taken over but not run: this replica's heartbeat ends with it, and another takes it
                log.info("alert.taken_over", "id", p.id(), "replica", shared.replica());
                resumeOne(p);
            });
            return 0;
        }
        List<PendingAlert> pending = journal.pending();
        for (PendingAlert p : pending) resumeOne(p);
        return pending.size();
    }

    private void resumeOne(PendingAlert p) {
        Alert alert;
        try {
            alert = AlertParser.parse(p.alert());
        } catch (AlertException e) {
            finish(p.id(), "failed", "journaled alert unreadable: " + e.getMessage());
            return;
        }
        Policy pol = policy.get();
        PolicyRule rule = pol.rules().stream().filter(r -> r.name().equals(p.rule())).findFirst().orElse(null);
        if (rule == null) rule = pol.firstMatch(alert).orElse(null);
        if (rule == null) {
            finish(p.id(), "dropped", "the policy no longer has a rule for this alert");
            return;
        }
        log.info("alert.resumed", "id", p.id(), "rule", rule.name(), "stepsDone", p.steps().size());
        PolicyRule r = rule;
        metrics.queueDepth().incrementAndGet();
        workers.submit(() -> run(p.id(), alert, r, p.steps(), p.attempts(), System.nanoTime()));
    }

    /** Decides without journaling or acting (for `stasis policy test`). */
    public static Decision decide(Policy policy, Alert alert) {
        Target t = Target.of(alert);
        return new Decision(policy.firstMatch(alert).orElse(null), false, policy.dryRun(), t.key());
    }

    /**
     * Accepts an alert: decides, journals (durably) and queues its actions.
     *
     * <p>The actions are started as soon as the decision is made, while the
     * alert record is still on its way to disk; this method returns (and the
     * caller acknowledges the alert) only once the record is durable. So a
     * checkpoint request leaves without waiting out an fsync (several
     * milliseconds on a busy disk, tens at its tail), and the durability
     * promise is unchanged: an acknowledged alert is on disk and is resumed
     * after a crash. What changes is the alert the engine could not journal
     * (it answers 503) or died before journaling: its checkpoint may already
     * be under way. That errs toward evidence: Falcosidekick does not retry,
     * so before, such an alert was simply lost. A sender that does retry
     * finds the container in its cool-down while the engine runs; after a
     * crash its retry checkpoints again (at least once, never lost). The
     * journal keeps its order (records are written in the order queued), so
     * a step record always follows its alert record.
     *
     * @param receivedNanos {@link System#nanoTime()} when the request arrived
     * @throws dev.stasis.response.journal.JournalException when the record cannot be made durable (the caller answers 503)
     */
    public Receipt accept(Alert alert, long receivedNanos) {
        if (closed) throw new IllegalStateException("the engine is shutting down");
        if (shared != null) return acceptShared(alert, receivedNanos);
        Policy pol = policy.get();
        String id = newId();
        Target target = Target.of(alert);
        PolicyRule rule = pol.firstMatch(alert).orElse(null);
        boolean dedup = false;
        long now = System.currentTimeMillis();
        if (rule != null) {
            metrics.matched(rule.name());
            long cool = pol.cooldown().toMillis();
            boolean[] fresh = {false};
            lastActed.compute(target.key(), (k, last) -> {
                if (last != null && now - last < cool) return last;
                fresh[0] = true;
                return now;
            });
            dedup = !fresh[0];
            if (dedup) metrics.deduplicated();
        }
        Decision d = new Decision(rule, dedup, pol.dryRun(), target.key());
        // the parser hands over the alert as one valid JSON object on one line, so it is embedded as is
        CompletableFuture<Void> durable = journal.append(Records.alert(id, now, target.key(), rule == null ? null : rule.name(), d.acts(),
                d.outcome(), alert.raw()));
        if (d.acts()) {
            metrics.queueDepth().incrementAndGet();
            workers.submit(() -> run(id, alert, rule, Map.of(), Map.of(), receivedNanos));
        }
        try {
            Journal.await(durable);
        } catch (RuntimeException e) {
            // an alert that acts keeps its cool-down: its checkpoint is already under way, and the
            // sender's retry of the refused alert must not start a second one
            if (!dedup && rule != null && !d.acts()) lastActed.remove(target.key(), now);
            throw e;
        }
        if (rule != null && !dedup) log.info("alert.accepted", "id", id, "rule", alert.rule(), "policy", rule.name(), "target", target.toString(),
                "outcome", d.outcome());
        return new Receipt(id, d);
    }

    /**
     * {@link #accept} with a shared store: the cool-down is decided and the alert recorded in one
     * transaction, committed before this returns (and the caller answers 202); the actions start
     * after the commit, on this replica, which owns the alert while its heartbeat lasts.
     */
    private Receipt acceptShared(Alert alert, long receivedNanos) {
        Policy pol = policy.get();
        String id = newId();
        Target target = Target.of(alert);
        PolicyRule rule = pol.firstMatch(alert).orElse(null);
        long now = System.currentTimeMillis();
        if (rule != null) metrics.matched(rule.name());
        SharedStore.Admitted a = SharedStore.await(shared.admit(new SharedStore.Admission(id, now, target.key(), rule == null ? null : rule.name(),
                !pol.dryRun(), now + pol.cooldown().toMillis(), alert.raw())));
        if (a.deduplicated()) metrics.deduplicated();
        Decision d = new Decision(rule, a.deduplicated(), pol.dryRun(), target.key());
        if (a.acts()) {
            metrics.queueDepth().incrementAndGet();
            workers.submit(() -> run(id, alert, rule, Map.of(), Map.of(), receivedNanos));
        }
        if (rule != null && !a.deduplicated()) log.info("alert.accepted", "id", id, "rule", alert.rule(), "policy", rule.name(), "target",
                target.toString(), "outcome", d.outcome(), "replica", shared.replica());
        return new Receipt(id, d);
    }

    /**
     * A random (version 4) UUID from a non-blocking generator: alert ids must
     * be unique, not unpredictable, and {@link UUID#randomUUID()} draws on the
     * shared SecureRandom for every alert.
     */
    private static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = r.nextLong() & ~0xF000L | 0x4000L;
        long lsb = r.nextLong() & ~(0x3L << 62) | 0x2L << 62;
        return new UUID(msb, lsb).toString();
    }

    /**
     * @param done     steps already recorded (a resumed alert): skipped, their results reused
     * @param attempts steps whose checkpoint had started when the engine stopped: the backend looks for what it left
     */
    private void run(String id, Alert alert, PolicyRule rule, Map<Integer, JsonNode> done, Map<Integer, JsonNode> attempts, long receivedNanos) {
        try {
            if (argo != null) {
                handToArgo(argo, id, alert, rule, done, attempts, receivedNanos);
                return;
            }
            Target target = Target.of(alert);
            Checkpoint checkpoint = null;
            boolean allOk = true;
            List<ActionSpec> specs = rule.actions();
            for (int i = 0; i < specs.size(); i++) {
                ActionSpec spec = specs.get(i);
                JsonNode prior = done.get(i);
                JsonNode result;
                if (prior != null) {
                    result = prior.path("result");
                    if (!"ok".equals(prior.path("outcome").asText())) allOk = false;
                } else if (spec.type() == ActionType.COLLECT && checkpoint == null) {
                    record(id, alert, rule.name(), i, spec.type().key(), "skipped", "no checkpoint to collect", null);
                    metrics.action(spec.type().key(), "skipped");
                    allOk = false;
                    continue;
                } else {
                    Actions.StepInput in = new Actions.StepInput(id, alert, target, rule.name(), checkpoint, i, attempts.containsKey(i));
                    result = attempt(id, alert, rule.name(), i, spec.type().key(), in, (tried, h) -> actions.run(spec, in, h), receivedNanos);
                    if (result == null) {
                        allOk = false;
                        continue;
                    }
                }
                if (spec.type() == ActionType.CHECKPOINT && result != null && result.has("path")) checkpoint = Actions.checkpointOf(result);
            }
            finish(id, allOk ? "ok" : "partial", null);
        } catch (RuntimeException e) {
            log.error("alert.failed", "id", id, "error", e.toString());
        } finally {
            metrics.queueDepth().decrementAndGet();
        }
    }

    /**
     * executor argo: the alert's one step is its workflow submission. A submission recorded before a restart
     * or a take-over is not made again; one whose attempt was recorded without an outcome (the engine died
     * while it was on its way, or its answer was lost) is first looked for in Argo by the alert's label.
     */
    private void handToArgo(ArgoExecutor executor, String id, Alert alert, PolicyRule rule, Map<Integer, JsonNode> done,
                            Map<Integer, JsonNode> attempts, long receivedNanos) {
        JsonNode prior = done.get(ArgoExecutor.STEP);
        if (prior != null && ArgoExecutor.TYPE.equals(prior.path("type").asText())) {
            finish(id, "ok".equals(prior.path("outcome").asText()) ? "ok" : "failed", null);
            return;
        }
        if (!done.isEmpty()) {
            // steps run in-process before the engine was restarted with executor argo: the workflow would repeat them
            finish(id, "partial", "steps had run in-process before the executor became argo; not handed to Argo");
            return;
        }
        boolean resumed = attempts.containsKey(ArgoExecutor.STEP);
        Actions.StepInput in = new Actions.StepInput(id, alert, Target.of(alert), rule.name(), null, ArgoExecutor.STEP, resumed);
        JsonNode result = attempt(id, alert, rule.name(), ArgoExecutor.STEP, ArgoExecutor.TYPE, in,
                (tried, h) -> executor.submit(id, alert, resumed || tried > 1, () -> h.beforeRequest(in)), receivedNanos);
        // stopping with no outcome recorded: the alert stays pending and the next start hands it over
        if (result == null && closed) return;
        finish(id, result == null ? "failed" : "ok", null);
    }

    /** One try of a step: {@code hook} runs just before its request leaves (a checkpoint's, a workflow submission's). */
    private interface StepBody {
        JsonNode run(int tried, Actions.CheckpointHook hook);
    }

    /** Runs one step with retries; records the outcome; returns its result or null when it failed. */
    private JsonNode attempt(String id, Alert alert, String rule, int i, String type, Actions.StepInput in, StepBody body, long receivedNanos) {
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            try {
                int tried = attempt;
                Actions.CheckpointHook h = x -> {
                    // on disk before the checkpoint starts: a restart then knows to look for what it left
                    try {
                        if (shared != null) SharedStore.await(shared.attempt(id, i, tried, System.currentTimeMillis()));
                        else Journal.await(journal.append(Records.attempt(id, i, tried, System.currentTimeMillis())));
                    } catch (JournalException e) {
                        // evidence first, as in accept(): the checkpoint still goes ahead. A resume that
                        // misses this record checkpoints again, into the same archive name (the backend's
                        // name for it comes from the action), so it leaves no second archive
                        log.warn("journal.attempt.failed", "id", id, "error", e.getMessage());
                    }
                    if (tried == 1) (type.equals(ArgoExecutor.TYPE) ? metrics.alertToArgo : metrics.alertToCheckpoint)
                            .record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
                    if (hook != null) hook.beforeRequest(x);
                };
                JsonNode result = body.run(attempt, h);
                long took = System.nanoTime() - t0;
                if (type.equals("checkpoint")) metrics.checkpointLatency.record(took, TimeUnit.NANOSECONDS);
                if (type.equals("collect")) metrics.collectLatency.record(took, TimeUnit.NANOSECONDS);
                if (type.equals(ArgoExecutor.TYPE)) metrics.argoSubmit.record(took, TimeUnit.NANOSECONDS);
                record(id, alert, rule, i, type, "ok", null, result);
                metrics.action(type, "ok");
                log.info("action.ok", "id", id, "action", type, "attempt", attempt, "ms", took / 1_000_000, "result", result);
                return result;
            } catch (ActionException e) {
                // executor argo, stopping while a submission failed in a way worth retrying (or was cut off on its way):
                // no outcome is recorded, so the alert stays pending and the next start looks for it in Argo, then submits
                if (closed && e.retryable() && type.equals(ArgoExecutor.TYPE)) return null;
                boolean again = e.retryable() && attempt < retry.maxAttempts() && !closed;
                log.warn("action.failed", "id", id, "action", type, "attempt", attempt, "retry", again, "error", e.getMessage());
                if (!again) {
                    record(id, alert, rule, i, type, "failed", e.getMessage(), null);
                    metrics.action(type, "failed");
                    return null;
                }
                metrics.action(type, "retried");
                Duration d = retry.delay(attempt);
                try {
                    Thread.sleep(d);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null; // shutting down: left pending in the journal, resumed on restart
                }
            } catch (RuntimeException e) {
                // a bug or an unexpected library error: recorded as a failure, never retried blindly
                record(id, alert, rule, i, type, "failed", "unexpected error: " + e, null);
                metrics.action(type, "failed");
                log.error("action.error", "id", id, "action", type, "error", e.toString());
                return null;
            }
        }
    }

    private void record(String id, Alert alert, String rule, int i, String type, String outcome, String detail, JsonNode result) {
        try {
            recorder.step(id, alert, rule, type, outcome, detail, result);
        } catch (RuntimeException e) {
            log.warn("case.record.failed", "id", id, "error", e.getMessage());
        }
        if (shared == null) {
            Journal.await(journal.append(Records.step(id, i, type, outcome, detail, result)));
        } else if (!SharedStore.await(shared.step(id, i, type, outcome, detail, result))) {
            log.warn("store.step.duplicate", "id", id, "step", i, "effect", "already recorded by another replica; the first record is kept");
        }
    }

    private void finish(String id, String outcome, String detail) {
        // Nothing waits on this record: every step is already durable, and were the
        // done record lost in a crash, the resumed alert would find all its steps
        // recorded and only write it again. So the worker does not sit out an fsync.
        if (shared != null) {
            shared.finish(id, outcome, detail).whenComplete((owned, e) -> {
                if (e != null) log.warn("store.done.failed", "id", id, "error", e.getMessage(), "effect",
                        "the alert is taken over (its steps skipped) once this replica's lease ends");
                else if (!owned) log.warn("store.done.lost", "id", id, "effect", "another replica had taken the alert over; it finishes it");
            });
            log.info("alert.done", "id", id, "outcome", outcome, "detail", detail);
            return;
        }
        journal.append(Records.done(id, outcome, detail)).whenComplete((ok, e) -> {
            if (e != null) log.warn("journal.done.failed", "id", id, "error", e.getMessage(), "effect", "the alert is resumed (its steps skipped) on restart");
        });
        log.info("alert.done", "id", id, "outcome", outcome, "detail", detail);
    }

    /** Stops taking alerts and waits up to {@code grace} for running actions; unfinished ones stay pending in the journal. */
    public void shutdown(Duration grace) {
        closed = true;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) workers.shutdownNow();
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
        if (journal != null) journal.close();
        if (shared != null) shared.close();
    }

    /** Steps the journal recorded for tests and reports: a snapshot of the counters. */
    public Map<String, Double> counters() {
        Map<String, Double> m = new HashMap<>();
        m.put("deduplicated", metrics.count("stasis_alerts_deduplicated"));
        return m;
    }
}
