package dev.stasis.response.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.evidence.cases.CaseException;
import dev.stasis.evidence.cases.CaseStore;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.Target;

/**
 * One case per acted-on alert ({@code alert-<first 8 of its id>}) in the case
 * database: a note per step, the collected item linked as evidence, tagged with
 * the Falco rule and the policy rule, so an analyst starts from the case.
 */
public final class CaseRecorder implements StepRecorder {
    private final CaseStore cases;
    private final String by;

    public CaseRecorder(CaseStore cases, String by) {
        this.cases = cases;
        this.by = by;
    }

    public static String caseName(String alertId) {
        return "alert-" + alertId.substring(0, Math.min(8, alertId.length()));
    }

    @Override
    public synchronized void step(String alertId, Alert alert, String rule, String action, String outcome, String detail, JsonNode result) {
        String name = caseName(alertId);
        try {
            cases.create(name, "Falco: " + alert.rule() + " on " + Target.of(alert) + " (" + alert.priority().falcoName() + ")", by);
            cases.tag(name, "policy:" + rule);
            cases.tag(name, "falco:" + alert.rule().replaceAll("[^A-Za-z0-9_.-]+", "-"));
        } catch (CaseException e) {
            // exists already: a later step of the same alert
        }
        String line = action + " " + outcome + (detail == null ? "" : ": " + detail) + (result == null ? "" : " " + result);
        cases.note(name, "alert " + alertId + ": " + line, by);
        if ("collect".equals(action) && "ok".equals(outcome) && result != null && result.hasNonNull("itemId"))
            cases.addEvidence(name, result.get("itemId").asText(), by);
    }
}
