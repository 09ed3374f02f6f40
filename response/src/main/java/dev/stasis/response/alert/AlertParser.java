package dev.stasis.response.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.vocabulary.Priority;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one alert from a request body in any of the three shapes stasis
 * accepts (formats.md section 4). Strict about what the engine needs (rule,
 * priority) and lenient about the rest, because Falco versions differ in what
 * else they send.
 */
public final class AlertParser {
    /** Nesting is bounded so a hostile body cannot exhaust the stack. */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build())
            // a body is one alert: "{..} junk" or two objects is an error, not the first object; this
            // also makes a parsed body exactly one JSON value, which lets it be kept as the raw text
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AlertParser() {}

    public static Alert parse(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            throw new AlertException("malformed JSON: " + (m == null ? "unreadable" : m.lines().findFirst().orElse(m))
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr() : ""));
        } catch (java.io.IOException e) {
            throw new AlertException("unreadable body: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) throw new AlertException("empty body: expected a Falco alert as JSON");
        return parse(root, oneLine(body));
    }

    /**
     * The body itself as the alert's raw text, when it can stand for it: a
     * single JSON object (the parser just accepted it whole) in UTF-8 on one
     * line: no byte-order mark, no control byte (which also rules out the
     * UTF-16 and UTF-32 bodies Jackson would have decoded). Re-serializing
     * the tree instead cost as much as parsing it, and the text as received
     * is the better provenance. Null otherwise (the tree is serialized).
     */
    private static String oneLine(byte[] body) {
        int start = 0, end = body.length;
        while (start < end && (body[start] == ' ' || body[start] == '\t')) start++;
        while (end > start && (body[end - 1] == ' ' || body[end - 1] == '\t')) end--;
        if (start == end || body[start] != '{') return null;
        for (int i = start; i < end; i++) if (body[i] >= 0 && body[i] < 0x20 && body[i] != '\t') return null;
        return new String(body, start, end - start, StandardCharsets.UTF_8);
    }

    /** A priority as Falco spells it (see {@link Priority#parse}); an AlertException names the ones there are. */
    public static Priority priority(String s) {
        if (s == null) throw new AlertException("priority is missing");
        return Priority.parse(s).orElseThrow(() -> new AlertException(
                "unknown priority '" + s + "' (Falco's are Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug)"));
    }

    public static Alert parse(String body) {
        return parse(body.getBytes(StandardCharsets.UTF_8));
    }

    public static Alert parse(JsonNode root) {
        return parse(root, null);
    }

    /** @param bodyText the body's text when it is the alert object itself on one line, else null */
    private static Alert parse(JsonNode root, String bodyText) {
        if (!root.isObject()) throw new AlertException("expected a JSON object (a Falco alert), got " + root.getNodeType().name().toLowerCase());
        Alert.Envelope envelope = Alert.Envelope.FALCO;
        JsonNode alert = root;
        if (root.has("data") && root.has("context") && !root.has("rule")) {
            JsonNode body = root.path("data").path("body");
            if (body.isTextual()) {
                // Argo Events may carry the body as a string when the content type was not JSON
                try {
                    body = MAPPER.readTree(body.asText());
                } catch (JsonProcessingException e) {
                    throw new AlertException("Argo Events envelope: data.body is a string that is not JSON");
                }
            }
            if (!body.isObject()) throw new AlertException("Argo Events envelope without an alert object in data.body");
            alert = body;
            envelope = Alert.Envelope.ARGO_EVENTS;
        }
        String rule = text(alert, "rule");
        if (rule == null || rule.isBlank()) throw new AlertException("missing field 'rule'");
        String pr = text(alert, "priority");
        if (pr == null) throw new AlertException("missing field 'priority'");
        Priority priority = priority(pr);
        String uuid = text(alert, "uuid");
        if (envelope == Alert.Envelope.FALCO && uuid != null) envelope = Alert.Envelope.FALCOSIDEKICK;
        Instant time = null;
        String t = text(alert, "time");
        if (t != null && !t.isBlank()) {
            try {
                time = Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw new AlertException("field 'time' is not an RFC 3339 time: '" + t + "'");
            }
        }
        JsonNode of = alert.path("output_fields");
        if (!of.isMissingNode() && !of.isNull() && !of.isObject()) throw new AlertException("field 'output_fields' must be an object");
        Map<String, Object> fields = new LinkedHashMap<>();
        of.properties().forEach(e -> fields.put(e.getKey(), scalar(e.getValue())));
        JsonNode tg = alert.path("tags");
        if (!tg.isMissingNode() && !tg.isNull() && !tg.isArray()) throw new AlertException("field 'tags' must be an array of strings");
        List<String> tags = new ArrayList<>();
        tg.forEach(n -> tags.add(n.asText()));
        String source = text(alert, "source");
        String hostname = text(alert, "hostname");
        String output = text(alert, "output");
        return new Alert(rule, priority, source == null ? "syscall" : source, hostname == null ? "" : hostname, time,
                output == null ? "" : output, fields, tags, uuid, envelope,
                bodyText != null && alert == root ? bodyText : alert.toString());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) throw new AlertException("field '" + field + "' must be a string");
        return v.asText();
    }

    private static Object scalar(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isIntegralNumber()) return v.longValue();
        if (v.isNumber()) return v.doubleValue();
        if (v.isValueNode()) return v.asText();
        return v.toString();
    }
}
