package dev.stasis.capture.falco;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One alert in Falco's JSON alert shape ({@code json_output: true}):
 * {@code {"time","rule","priority","source","hostname","output","output_fields","tags"}}.
 * {@code eventNum} is stasis's addition for finding the event again; it is not part of the JSON.
 */
public record Alert(String time, String rule, String priority, String source, String hostname, String output,
        Map<String, Object> outputFields, List<String> tags, long eventNum) {

    /** The alert as Falco prints it, key order included. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostname", hostname);
        m.put("output", output);
        m.put("output_fields", outputFields);
        m.put("priority", priority);
        m.put("rule", rule);
        m.put("source", source);
        m.put("tags", tags);
        m.put("time", time);
        return m;
    }
}
