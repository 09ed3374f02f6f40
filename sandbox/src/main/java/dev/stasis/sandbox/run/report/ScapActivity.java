package dev.stasis.sandbox.run.report;

import dev.stasis.capture.report.EventSource;
import dev.stasis.capture.report.Timeline;
import dev.stasis.capture.state.CaptureReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The dynamic report's execs, connections and files written, read from a .scap recording through
 * the capture module's own timeline ({@code stasis capture timeline}), so both commands agree.
 */
public final class ScapActivity {
    private ScapActivity() {}

    public static DynamicReport.Activity read(Path scap) {
        List<DynamicReport.Exec> execs = new ArrayList<>();
        List<DynamicReport.Connection> conns = new ArrayList<>();
        List<DynamicReport.FileWrite> writes = new ArrayList<>();
        long[] events = new long[1];
        if (!Files.exists(scap)) return new DynamicReport.Activity(0, execs, conns, writes);
        try (CaptureReader r = CaptureReader.open(scap)) {
            Timeline t = new Timeline();
            EventSource.forEach(r, null, e -> {
                events[0]++;
                t.add(e);
            });
            for (Timeline.Process p : t.roots(r.state())) walk(p, execs, conns, writes);
        } catch (IOException | RuntimeException e) {
            // an unreadable recording: report what was collected
        }
        execs.sort((a, b) -> Double.compare(a.time(), b.time()));
        return new DynamicReport.Activity(events[0], execs, conns, writes);
    }

    private static void walk(Timeline.Process p, List<DynamicReport.Exec> execs, List<DynamicReport.Connection> conns,
                             List<DynamicReport.FileWrite> writes) {
        for (Timeline.Item i : p.items()) {
            double ts = i.ts() / 1e9;
            switch (i.kind()) {
                case "exec" -> {
                    List<String> words = Arrays.asList(i.detail().split(" "));
                    String path = words.getFirst();
                    List<String> argv = new ArrayList<>();
                    argv.add(path.substring(path.lastIndexOf('/') + 1));
                    argv.addAll(words.subList(1, words.size()));
                    execs.add(new DynamicReport.Exec(p.pid(), ts, path, argv));
                }
                case "connect", "connect-failed" -> {
                    // "TCP 10.88.0.3:40000->10.88.0.1:6667"; failed: "TUPLE ERRNO"; unix sockets: "0->0 /path ERRNO"
                    String d = i.detail().replaceFirst("^(TCP|UDP) ", "");
                    String[] words = d.split(" ");
                    String tuple = words[0];
                    String remote = tuple.contains("->") ? tuple.substring(tuple.indexOf("->") + 2) : tuple;
                    int colon = remote.lastIndexOf(':');
                    String result = i.kind().equals("connect") ? "ok" : words[words.length - 1];
                    if (colon < 0) {
                        String path = words.length > 2 ? words[1] : words.length > 1 && words[1].startsWith("/") ? words[1] : remote;
                        conns.add(new DynamicReport.Connection(p.pid(), ts, path, 0, result));
                        continue;
                    }
                    int port = 0;
                    try {
                        port = Integer.parseInt(remote.substring(colon + 1));
                    } catch (NumberFormatException ignored) {
                        // no port in the tuple
                    }
                    conns.add(new DynamicReport.Connection(p.pid(), ts, remote.substring(0, colon), port, result));
                }
                case "write-open" -> writes.add(new DynamicReport.FileWrite(p.pid(), ts, i.detail(), "write"));
                default -> { }
            }
        }
        for (Timeline.Process c : p.children()) walk(c, execs, conns, writes);
    }
}
