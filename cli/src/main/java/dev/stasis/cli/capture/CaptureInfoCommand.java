package dev.stasis.cli.capture;

import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.capture.report.CaptureSummary;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stasis capture info FILE}: machine, time span, event/thread/container counts. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Summarise a capture: machine, time span, event, thread and container counts.")
public final class CaptureInfoCommand implements Callable<Integer> {
    @Mixin CaptureFile file;

    @Mixin FormatOption format = FormatOption.of("text or json", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() throws Exception {
        boolean json = format.json(); // an unknown --format fails before any work
        CaptureSummary s;
        try (CaptureReader r = CaptureInput.open(file.path())) {
            s = CaptureSummary.of(r);
        }
        if (json) {
            Json.print(Json.document("capture-info", 1, s));
            return 0;
        }
        System.out.println("file:        " + file.path());
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
