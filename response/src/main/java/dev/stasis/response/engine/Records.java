package dev.stasis.response.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The journal's records as JSON text, written directly: an alert record is
 * written for every alert received, and building a tree and serializing it
 * cost more CPU than the policy decision and the cool-down together. The
 * field names and order are the ones {@link dev.stasis.response.journal.Journal}
 * reads back.
 */
final class Records {
    private Records() {}

    /**
     * {@code {"t":"alert","id":..,"at":..,"key":..,"rule":..,"act":..,"outcome":..,"alert":{..}}}.
     *
     * @param alertJson the alert object as JSON text (the parser guarantees it is one valid object on one line)
     */
    static String alert(String id, long at, String key, String rule, boolean act, String outcome, String alertJson) {
        StringBuilder b = new StringBuilder(160 + alertJson.length()).append("{\"t\":\"alert\",\"id\":");
        string(b, id).append(",\"at\":").append(at).append(",\"key\":");
        string(b, key).append(",\"rule\":");
        if (rule == null) b.append("null");
        else string(b, rule);
        b.append(",\"act\":").append(act).append(",\"outcome\":");
        string(b, outcome).append(",\"alert\":").append(alertJson);
        return b.append('}').toString();
    }

    /** {@code {"t":"step","id":..,"i":..,"type":..,"outcome":..[,"detail":..][,"result":{..}]}}. */
    static String step(String id, int i, String type, String outcome, String detail, JsonNode result) {
        StringBuilder b = new StringBuilder(160).append("{\"t\":\"step\",\"id\":");
        string(b, id).append(",\"i\":").append(i).append(",\"type\":");
        string(b, type).append(",\"outcome\":");
        string(b, outcome);
        if (detail != null) string(b.append(",\"detail\":"), detail);
        // a JsonNode's toString() is its JSON text, on one line
        if (result != null) b.append(",\"result\":").append(result);
        return b.append('}').toString();
    }

    /**
     * {@code {"t":"attempt","id":..,"i":..,"try":..,"at":..}}: a checkpoint of step
     * {@code i} is about to start. Fsynced before it does, so an engine that
     * dies meanwhile knows on restart to look for what the attempt left.
     */
    static String attempt(String id, int i, int attempt, long at) {
        StringBuilder b = new StringBuilder(96).append("{\"t\":\"attempt\",\"id\":");
        string(b, id).append(",\"i\":").append(i).append(",\"try\":").append(attempt).append(",\"at\":").append(at);
        return b.append('}').toString();
    }

    /** {@code {"t":"done","id":..,"outcome":..[,"detail":..]}}. */
    static String done(String id, String outcome, String detail) {
        StringBuilder b = new StringBuilder(96).append("{\"t\":\"done\",\"id\":");
        string(b, id).append(",\"outcome\":");
        string(b, outcome);
        if (detail != null) string(b.append(",\"detail\":"), detail);
        return b.append('}').toString();
    }

    private static StringBuilder string(StringBuilder b, String s) {
        return JsonText.quote(b, s);
    }
}
