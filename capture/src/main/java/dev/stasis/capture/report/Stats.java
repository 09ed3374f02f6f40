package dev.stasis.capture.report;

import dev.stasis.capture.state.Event;
import dev.stasis.capture.state.FdInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Top processes, syscalls, files and connections of a capture, by count and bytes. */
public final class Stats {
    /** One row: a key with its event count, bytes read (in) and written (out), and failed calls. */
    public record Row(String key, long events, long bytesIn, long bytesOut, long errors) {
        public long bytes() {
            return bytesIn + bytesOut;
        }
    }

    private static final class Acc {
        long events, in, out, errors;
    }

    private final Map<String, Acc> processes = new HashMap<>();
    private final Map<String, Acc> syscalls = new HashMap<>();
    private final Map<String, Acc> files = new HashMap<>();
    private final Map<String, Acc> connections = new HashMap<>();
    private long events;

    public void add(Event e) {
        events++;
        long bytes = EventSource.ioBytes(e);
        boolean read = EventSource.isRead(e);
        boolean exit = !e.isEnter();
        Long res = exit ? e.intParam("res") : null;
        boolean failed = res != null && res < 0;
        bump(processes, EventSource.proc(e), bytes, read, failed);
        if (exit || e.info().params().isEmpty() || e.name().equals("procexit")) {
            bump(syscalls, e.name(), bytes, read, failed);
        }
        FdInfo fd = e.fd();
        if (fd != null && exit) {
            if (fd.isIp() && !fd.name().isEmpty()) {
                bump(connections, fd.l4protoName() + " " + fd.name(), bytes, read, failed);
            } else if (!fd.isIp() && !fd.name().isEmpty() && (fd.typeChar() == 'f' || fd.typeChar() == 'd')) {
                bump(files, fd.name(), bytes, read, failed);
            }
        }
    }

    private static void bump(Map<String, Acc> m, String key, long bytes, boolean read, boolean failed) {
        Acc a = m.computeIfAbsent(key, k -> new Acc());
        a.events++;
        if (read) {
            a.in += bytes;
        } else {
            a.out += bytes;
        }
        if (failed) {
            a.errors++;
        }
    }

    public long events() { return events; }
    public List<Row> processes(int top) { return top(processes, top, false); }
    public List<Row> syscalls(int top) { return top(syscalls, top, false); }
    public List<Row> files(int top) { return top(files, top, true); }
    public List<Row> connections(int top) { return top(connections, top, true); }

    private static List<Row> top(Map<String, Acc> m, int n, boolean byBytes) {
        List<Row> rows = new ArrayList<>();
        m.forEach((k, a) -> rows.add(new Row(k, a.events, a.in, a.out, a.errors)));
        Comparator<Row> c = byBytes
                ? Comparator.comparingLong(Row::bytes).thenComparingLong(Row::events)
                : Comparator.comparingLong(Row::events).thenComparingLong(Row::bytes);
        rows.sort(c.reversed().thenComparing(Row::key));
        return rows.size() > n ? List.copyOf(rows.subList(0, n)) : List.copyOf(rows);
    }
}
