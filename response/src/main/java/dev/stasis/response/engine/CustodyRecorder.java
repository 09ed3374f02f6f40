package dev.stasis.response.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.evidence.Actor;
import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.CustodyLog;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.Target;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the response's steps into the vault's signed custody log, so that the
 * chain of custody of a collected checkpoint starts where the evidence was
 * created, not where it entered the vault:
 * <ul>
 *   <li>{@code ACQUIRE}: the checkpoint was taken (backend, node, runtime path, time, the alert and policy rule);</li>
 *   <li>{@code STORE}: written by the vault itself when the archive arrives, with the hash taken at the source;</li>
 *   <li>{@code DISPOSE_SOURCE}: the node's copy was removed after the vault verified its own;</li>
 *   <li>{@code RESPOND}: each later step on the pod (label, annotate, isolate, notify) and its outcome.</li>
 * </ul>
 * Custody records name an item, and the item exists only once the archive is
 * stored, so the checkpoint step is held until its alert's collect step
 * succeeds. Steps of alerts that produced no evidence are in the journal and
 * the case database only.
 */
public final class CustodyRecorder implements StepRecorder {
    /** Alerts in flight; bounded so that a storm of alerts whose collect never comes cannot grow it. */
    private static final int MAX_OPEN = 10_000;

    private final CustodyLog custody;
    private final Actor actor;
    private final Map<String, String> checkpointOf = lru();
    private final Map<String, String> itemOf = lru();

    public CustodyRecorder(CustodyLog custody, Actor actor) {
        this.custody = custody;
        this.actor = actor;
    }

    @Override
    public synchronized void step(String alertId, Alert alert, String rule, String action, String outcome, String detail, JsonNode result) {
        String reason = "falco rule '" + alert.rule() + "' (" + alert.priority().falcoName() + ") on " + Target.of(alert)
                + ", alert " + alertId + ", policy rule '" + rule + "'";
        switch (action) {
            case "checkpoint" -> {
                if ("ok".equals(outcome) && result != null) checkpointOf.put(alertId, describeCheckpoint(result));
            }
            case "collect" -> {
                if (!"ok".equals(outcome) || result == null || !result.hasNonNull("itemId")) return;
                String item = result.get("itemId").asText();
                itemOf.put(alertId, item);
                String taken = checkpointOf.remove(alertId);
                custody.append(CustodyAction.ACQUIRE, item, actor, reason, "ok",
                        taken == null ? "checkpoint taken for this alert" : taken, null);
                if (result.path("removed").asBoolean(false)) {
                    custody.append(CustodyAction.DISPOSE_SOURCE, item, actor, reason, "ok",
                            "the node's copy was removed after the vault verified the stored bytes", null);
                }
            }
            default -> {
                String item = itemOf.get(alertId);
                if (item == null) return;
                String what = action + (detail == null || detail.isEmpty() ? "" : ": " + detail)
                        + (result == null || result.isEmpty() ? "" : " " + result);
                custody.append(CustodyAction.RESPOND, item, actor, reason, outcome, what, null);
            }
        }
    }

    private static String describeCheckpoint(JsonNode r) {
        return "checkpoint taken by backend " + r.path("backend").asText("?") + " on node " + r.path("node").asText("?")
                + " at " + r.path("takenAt").asText("?") + ", runtime path " + r.path("path").asText("?")
                + (r.hasNonNull("recovery") ? "; resumed after a restart: " + r.get("recovery").asText() : "");
    }

    private static Map<String, String> lru() {
        return new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > MAX_OPEN;
            }
        };
    }
}
