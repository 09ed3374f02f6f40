package dev.stasis.response.alert;

import dev.stasis.vocabulary.Priority;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Falco alert, whichever way it arrived (Falco http_output, Falcosidekick
 * webhook, Argo Events envelope).
 *
 * @param rule         the rule name
 * @param priority     its priority
 * @param source       the event source ({@code syscall}, {@code k8s_audit}, ...), "syscall" when absent
 * @param hostname     the node the alert came from, or ""
 * @param time         when Falco saw the event, or null
 * @param output       the rendered output line, or ""
 * @param outputFields the output fields; values are strings, numbers, booleans or null, as Falco sent them
 * @param tags         the rule's tags
 * @param uuid         Falcosidekick's uuid, or null
 * @param envelope     how it arrived
 * @param raw          the alert object itself (without any envelope) as JSON text, for provenance
 */
public record Alert(String rule, Priority priority, String source, String hostname, Instant time, String output,
                    Map<String, Object> outputFields, List<String> tags, String uuid, Envelope envelope, String raw) {

    /** The wrapping the alert came in. */
    public enum Envelope { FALCO, FALCOSIDEKICK, ARGO_EVENTS }

    public Alert {
        outputFields = outputFields == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputFields));
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** An output field as text ("" when absent or null). */
    public String field(String name) {
        Object v = outputFields.get(name);
        return v == null ? "" : String.valueOf(v);
    }
}
