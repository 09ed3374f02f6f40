package dev.stasis.cli.capture;

import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.capture.report.EventSource;
import dev.stasis.capture.report.Timeline;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stasis capture timeline FILE}: processes as a tree over time, with their commands and key events. */
@Command(name = "timeline", mixinStandardHelpOptions = true,
        description = "Processes as a tree over time with their command lines, and the network and file events that matter.")
public final class CaptureTimelineCommand implements Callable<Integer> {
    @Mixin FilteredCapture input;

    @Mixin FormatOption format = FormatOption.of("text or json", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() throws Exception {
        boolean json = format.json(); // an unknown --format fails before any work
        Timeline t = new Timeline();
        List<Timeline.Process> roots;
        try (CaptureReader r = CaptureInput.open(input.path())) {
            EventSource.forEach(r, CaptureInput.filter(input.filter()), t::add);
            roots = t.roots(r.state());
        }
        if (json) {
            java.util.Map<String, Object> doc = Json.document("capture-timeline", 1);
            doc.put("processes", roots);
            Json.print(doc);
            return 0;
        }
        for (Timeline.Process p : roots) {
            print(p, "", true, true);
        }
        return 0;
    }

    private static void print(Timeline.Process p, String indent, boolean last, boolean root) {
        String branch = root ? "" : (last ? "└─ " : "├─ ");
        String life = (p.startTs() == 0 ? "(before capture)" : CaptureInput.time(p.startTs()).substring(11))
                + (p.endTs() == 0 ? "" : " .. " + CaptureInput.time(p.endTs()).substring(11));
        System.out.println(indent + branch + p.comm() + "[" + p.pid() + "] " + p.cmdline()
                + (p.containerId().isEmpty() ? "" : "  container " + p.containerId()) + "  " + life);
        String childIndent = indent + (root ? "" : (last ? "   " : "│  "));
        for (Timeline.Item i : p.items()) {
            System.out.println(childIndent + "   " + CaptureInput.time(i.ts()).substring(11) + " " + i.kind() + " "
                    + i.detail());
        }
        for (int k = 0; k < p.children().size(); k++) {
            print(p.children().get(k), childIndent, k == p.children().size() - 1, false);
        }
    }
}
