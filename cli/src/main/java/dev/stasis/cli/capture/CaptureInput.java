package dev.stasis.cli.capture;

import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.FilterException;
import dev.stasis.capture.filter.ScapEventView;
import dev.stasis.capture.report.EventSource;
import dev.stasis.capture.scap.ScapFormatException;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.capture.state.Event;
import dev.stasis.cli.support.OutputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import picocli.CommandLine;

/** Shared by the capture subcommands: opening a capture, compiling a filter, formatting times. */
final class CaptureInput {
    /**
     * Made on first use: the system time zone's rules are found through a ServiceLoader, which
     * opens every jar on the class path, and {@code capture events} never needs them.
     */
    private static final class Clock {
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS")
                .withZone(ZoneId.systemDefault());
    }

    private CaptureInput() {}

    static CaptureReader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such capture: " + file);
        }
        try {
            return CaptureReader.open(file);
        } catch (ScapFormatException e) {
            if (e.offset() == 0) WrongKind.of(file).ifPresent(kind -> {
                throw new IllegalArgumentException(file.getFileName() + " is " + kind);
            });
            throw e;
        }
    }

    /** The filter given as trailing words (sysdig style), or null for all events. */
    static Predicate<Event> filter(List<String> words) {
        if (words == null || words.isEmpty()) {
            return null;
        }
        String text = String.join(" ", words);
        Filter f;
        try {
            f = Filter.compile(text);
        } catch (FilterException e) {
            throw new IllegalArgumentException("bad filter: " + e.getMessage());
        }
        ScapEventView[] view = {null}; // the reader refills one Event: one view serves the whole capture
        return e -> f.matches(view[0] = ScapEventView.of(view[0], e));
    }

    static void forEach(Path file, List<String> filter, Consumer<Event> sink) throws IOException {
        Predicate<Event> p = filter(filter);
        try (CaptureReader r = open(file)) {
            EventSource.forEach(r, p, sink);
        }
    }

    static String time(long ts) {
        if (ts == 0) {
            return "-";
        }
        return Clock.TIME.format(Instant.ofEpochSecond(Math.floorDiv(ts, 1_000_000_000L), Math.floorMod(ts, 1_000_000_000L)));
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }

}
