package dev.stasis.response.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.response.alert.Alert;

/**
 * Told about each finished step of an alert's response, for the case
 * database and the custody log. A recorder that fails never fails the
 * response: the journal remains the record of what was done.
 */
public interface StepRecorder {
    StepRecorder NONE = (id, alert, rule, action, outcome, detail, result) -> { };

    void step(String alertId, Alert alert, String rule, String action, String outcome, String detail, JsonNode result);

    /** This recorder, then the other; the other still hears of the step when this one fails. */
    default StepRecorder andThen(StepRecorder other) {
        return (id, alert, rule, action, outcome, detail, result) -> {
            try {
                step(id, alert, rule, action, outcome, detail, result);
            } finally {
                other.step(id, alert, rule, action, outcome, detail, result);
            }
        };
    }
}
