package dev.stasis.capture.falco;

import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.OutputFormat;
import dev.stasis.vocabulary.Priority;
import java.util.List;
import java.util.Set;

/**
 * A loaded, compiled Falco rule. {@code condition} is the effective condition
 * text, exceptions included. {@code eventTypes} are the evt.type values the
 * condition can match, or null when it does not restrict them; the engine
 * skips the rule on other events, as Falco's event-type index does.
 */
public record Rule(String name, String description, String condition, String output, Priority priority,
        List<String> tags, String source, Filter filter, OutputFormat outputFormat, Set<String> eventTypes) {
    public Rule {
        tags = List.copyOf(tags);
        eventTypes = eventTypes == null ? null : Set.copyOf(eventTypes);
    }

    /** Fields of the output that stasis cannot fill: an alert of this rule prints them as {@code <NA>}. */
    public List<String> unsupportedOutputFields() {
        return outputFormat.unknownFields();
    }

    /** Whether the rule can match an event of this type at all. */
    public boolean mayMatch(String eventType) {
        return eventTypes == null || eventTypes.contains(eventType);
    }
}
