package dev.stasis.cli.capture;

import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.capture.filter.FilterException;
import dev.stasis.capture.filter.ScapEventView;
import dev.stasis.capture.state.Event;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stasis capture events FILE [FILTER] [-p FORMAT]}: the events of a capture
 * as {@code sysdig -r FILE [FILTER] [-p FORMAT]} prints them, or as JSON lines.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Print the events of a capture like sysdig -r (default line format, or -p fields), optionally filtered.")
public final class CaptureEventsCommand implements Callable<Integer> {
    @Mixin FilteredCapture input;

    @Option(names = {"-p", "--print"}, paramLabel = "FORMAT",
            description = "output format with %%field references, as sysdig -p (prefix * to print lines with missing fields)")
    String print;

    @Mixin FormatOption format = FormatOption.of("text (sysdig's lines) or json (one object per line)", OutputFormat.TEXT, OutputFormat.JSON);

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "stop after N events")
    Long limit;

    @Override
    public Integer call() throws Exception {
        boolean json = format.json(); // an unknown --format fails before any work
        dev.stasis.capture.filter.OutputFormat fmt = null;
        if (print != null) {
            try {
                fmt = dev.stasis.capture.filter.OutputFormat.compile(print.replace("\\t", "\t").replace("\\n", "\n"));
            } catch (FilterException e) {
                throw new IllegalArgumentException("bad -p format: " + e.getMessage());
            }
        }
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        long[] printed = {0};
        final dev.stasis.capture.filter.OutputFormat f = fmt;
        try {
            CaptureInput.forEach(input.path(), input.filter(), e -> {
                if (limit != null && printed[0] >= limit) {
                    return;
                }
                String line = render(e, f);
                if (line != null) {
                    try {
                        out.write(line);
                        out.write('\n');
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                    printed[0]++;
                }
            });
        } finally {
            out.flush();
        }
        return 0;
    }

    private ScapEventView view;
    /**
     * One writer for every event (a writer is immutable and made once): JSON Lines in sysdig's -j layout,
     * keyed by field names (evt.num), which are the filter language and stay as they are. Made on first
     * use: setting up Jackson costs a text read a tenth of a second of start-up.
     */
    private static final class Lines {
        static final com.fasterxml.jackson.databind.ObjectWriter LINE =
                Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    }

    private String render(Event e, dev.stasis.capture.filter.OutputFormat f) {
        view = ScapEventView.of(view, e);
        if (format.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (f != null) {
                m.putAll(f.fieldValues(view));
            } else {
                m.put("evt.num", e.num());
                m.put("evt.time", e.ts());
                m.put("evt.cpu", e.cpu());
                m.put("proc.name", e.thread() == null ? null : e.thread().comm());
                m.put("thread.tid", e.tid());
                m.put("evt.dir", String.valueOf(e.direction()));
                m.put("evt.type", e.name());
                m.put("evt.args", e.args().stripTrailing());
            }
            try {
                return Lines.LINE.writeValueAsString(m);
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return f == null ? e.defaultLine() : f.format(view);
    }
}
