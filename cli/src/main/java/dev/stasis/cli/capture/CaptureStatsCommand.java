package dev.stasis.cli.capture;

import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.capture.report.Stats;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stasis capture stats FILE [FILTER]}: top processes, syscalls, files and connections. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Top processes and syscalls (by count), files and connections (by bytes) of a capture.")
public final class CaptureStatsCommand implements Callable<Integer> {
    @Mixin FilteredCapture input;

    @Option(names = "--top", defaultValue = "10", paramLabel = "N", description = "rows per table (default ${DEFAULT-VALUE})")
    int top;

    @Mixin FormatOption format = FormatOption.of("text or json", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() throws Exception {
        boolean json = format.json(); // an unknown --format fails before any work
        Stats stats = new Stats();
        CaptureInput.forEach(input.path(), input.filter(), stats::add);
        if (json) {
            Map<String, Object> m = Json.document("capture-stats", 1);
            m.put("events", stats.events());
            m.put("processes", stats.processes(top));
            m.put("syscalls", stats.syscalls(top));
            m.put("files", stats.files(top));
            m.put("connections", stats.connections(top));
            Json.print(m);
            return 0;
        }
        System.out.println(stats.events() + " events");
        table("Top processes (by events)", "process", stats.processes(top));
        table("Top syscalls (by calls)", "syscall", stats.syscalls(top));
        table("Top files (by bytes)", "file", stats.files(top));
        table("Top connections (by bytes)", "connection", stats.connections(top));
        return 0;
    }

    private static void table(String title, String keyName, List<Stats.Row> rows) {
        System.out.println();
        System.out.println(title);
        if (rows.isEmpty()) {
            System.out.println("  (none)");
            return;
        }
        System.out.printf("  %9s %11s %11s %7s  %s%n", "events", "in", "out", "errors", keyName);
        for (Stats.Row r : rows) {
            System.out.printf("  %9d %11s %11s %7d  %s%n", r.events(), CaptureInput.bytes(r.bytesIn()),
                    CaptureInput.bytes(r.bytesOut()), r.errors(), r.key());
        }
    }
}
