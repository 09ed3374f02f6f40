package dev.stasis.capture.falco;

import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.OutputFormat;
import java.util.List;

/** A loaded, compiled Falco rule. {@code condition} is the effective condition text, exceptions included. */
public record Rule(String name, String description, String condition, String output, Priority priority,
        List<String> tags, String source, Filter filter, OutputFormat outputFormat) {
    public Rule {
        tags = List.copyOf(tags);
    }
}
