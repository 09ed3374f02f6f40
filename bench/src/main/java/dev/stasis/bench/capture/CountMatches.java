package dev.stasis.bench.capture;

import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.ScapEventView;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.capture.state.Event;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Benchmark driver: reads a capture with full state and counts the events a filter
 * selects (what {@code stasis capture events FILE FILTER -p %evt.num} does, without
 * the printing). With {@code --repeat N} it reads the capture N times and also prints
 * the last pass's events per CPU second of the reading thread (a warmed-up JVM).
 * usage: CountMatches [--repeat N] FILE [FILTER]
 */
public final class CountMatches {
    private CountMatches() {}

    public static void main(String[] args) throws IOException {
        int repeat = 1;
        if (args.length > 1 && args[0].equals("--repeat")) {
            repeat = Integer.parseInt(args[1]);
            args = Arrays.copyOfRange(args, 2, args.length);
        }
        Filter f = args.length > 1 ? Filter.compile(String.join(" ", Arrays.copyOfRange(args, 1, args.length))) : null;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int pass = 1; pass <= repeat; pass++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long all = 0, matched = 0;
            try (CaptureReader r = CaptureReader.open(Path.of(args[0]))) {
                ScapEventView view = null;
                for (Event e; (e = r.next()) != null; ) {
                    all++;
                    view = ScapEventView.of(view, e); // the reader reuses its Event: one view per reader
                    if (!e.isInternal() && (f == null || f.matches(view))) {
                        matched++;
                    }
                }
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            if (pass == repeat) {
                System.out.println(matched + " of " + all);
                if (repeat > 1) {
                    System.out.printf("warm: %.0f events per CPU second%n", all / (cpu / 1e9));
                }
            }
        }
    }
}
