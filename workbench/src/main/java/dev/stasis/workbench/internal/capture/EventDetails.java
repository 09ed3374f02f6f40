package dev.stasis.workbench.internal.capture;

import dev.stasis.capture.filter.FieldDef;
import dev.stasis.capture.filter.FieldRegistry;
import dev.stasis.capture.filter.OutputFormat;
import dev.stasis.capture.filter.ScapEventView;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.capture.state.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every field of one event, as the filter language names them. The state a field reads (the thread,
 * its fds) exists only after the events before it, so this reads the capture up to the event.
 */
public final class EventDetails {
    private EventDetails() {}

    /** One event's fields with a value (argument-taking fields left out), in the registry's order; null when there is no such event. */
    public record Detail(long ordinal, long num, String line, Map<String, String> fields) {}

    public static Detail read(Path capture, long ordinal) throws IOException {
        try (CaptureReader reader = CaptureReader.open(capture)) {
            long seen = 0;
            ScapEventView view = null;
            for (Event e; (e = reader.next()) != null; ) {
                if (e.isInternal()) continue;
                if (seen++ < ordinal) continue;
                view = ScapEventView.of(view, e);
                Map<String, String> fields = new LinkedHashMap<>();
                for (FieldDef f : FieldRegistry.standard().all()) {
                    if (f.arg() == FieldDef.ArgPolicy.REQUIRED || f.filterOnly()) continue;
                    String value;
                    try {
                        value = OutputFormat.compile("%" + f.name()).format(view);
                    } catch (RuntimeException ex) {
                        continue;
                    }
                    if (value != null && !value.isEmpty()) fields.put(f.name(), value);
                }
                return new Detail(ordinal, e.num(), e.defaultLine(), fields);
            }
            return null;
        }
    }
}
