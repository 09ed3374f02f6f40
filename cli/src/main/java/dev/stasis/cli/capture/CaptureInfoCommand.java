package dev.stasis.cli.capture;

import dev.stasis.capture.report.CaptureSummary;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis capture info FILE}: machine, time span, event/thread/container counts. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Summarise a capture: machine, time span, event, thread and container counts.")
public final class CaptureInfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "capture (.scap, plain or gzip)")
    Path file;

    @Option(names = "--format", defaultValue = "text", converter = CaptureInput.TextOrJson.class,
            description = "text or json")
    OutputFormat format;

    @Override
    public Integer call() throws Exception {
        CaptureSummary s;
        try (CaptureReader r = CaptureInput.open(file)) {
            s = CaptureSummary.of(r);
        }
        if (format == OutputFormat.JSON) {
            Json.print(s);
            return 0;
        }
        System.out.println("file:        " + file);
        System.out.println("format:      scap " + s.formatVersion());
        System.out.println("machine:     " + s.hostname() + ", " + s.cpus() + " CPUs, " + CaptureInput.bytes(s.memoryBytes()) + " memory");
        System.out.println("first event: " + CaptureInput.time(s.firstTs()));
        System.out.println("last event:  " + CaptureInput.time(s.lastTs()));
        System.out.printf("duration:    %.3f s%n", s.durationSeconds());
        System.out.println("events:      " + s.events() + " (" + s.visibleEvents() + " shown by sysdig -r, "
                + (s.events() - s.visibleEvents()) + " internal)");
        System.out.println("threads:     " + s.threads() + " in " + s.processes() + " processes");
        System.out.println("containers:  " + s.containers().size());
        for (String c : s.containers()) {
            System.out.println("  " + c);
        }
        System.out.println("users:       " + s.users() + ", groups: " + s.groups());
        System.out.println("interfaces:  " + String.join(", ", s.interfaces()));
        if (s.skippedUnknownEvents() > 0) {
            System.out.println("skipped:     " + s.skippedUnknownEvents() + " events of unknown type");
        }
        for (String w : s.warnings()) {
            System.out.println("warning:     " + w);
        }
        return 0;
    }
}
