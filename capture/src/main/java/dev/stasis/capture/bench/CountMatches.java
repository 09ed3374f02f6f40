package dev.stasis.capture.bench;

import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.ScapEventView;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.capture.state.Event;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Benchmark driver: reads a capture with full state and counts the events a filter
 * selects (what {@code stasis capture events FILE FILTER -p %evt.num} does, without
 * the printing). usage: CountMatches FILE [FILTER]
 */
public final class CountMatches {
    private CountMatches() {}

    public static void main(String[] args) throws IOException {
        Filter f = args.length > 1 ? Filter.compile(String.join(" ", java.util.Arrays.copyOfRange(args, 1, args.length))) : null;
        long all = 0, matched = 0;
        try (CaptureReader r = CaptureReader.open(Path.of(args[0]))) {
            for (Event e; (e = r.next()) != null; ) {
                all++;
                if (!e.isInternal() && (f == null || f.matches(ScapEventView.of(e)))) {
                    matched++;
                }
            }
        }
        System.out.println(matched + " of " + all);
    }
}
