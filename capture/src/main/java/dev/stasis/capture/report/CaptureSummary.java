package dev.stasis.capture.report;

import dev.stasis.capture.scap.InterfaceEntry;
import dev.stasis.capture.scap.MachineInfo;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.capture.state.ContainerInfo;
import dev.stasis.capture.state.Event;
import dev.stasis.capture.state.Net;
import dev.stasis.capture.state.ThreadInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What {@code stasis capture info} prints: machine, time span, counts. */
public record CaptureSummary(String formatVersion, String hostname, int cpus, long memoryBytes, long firstTs,
        long lastTs, long events, long visibleEvents, long threads, long processes, List<String> containers,
        int users, int groups, List<String> interfaces, long skippedUnknownEvents, List<String> warnings) {

    public double durationSeconds() {
        return events == 0 ? 0 : (lastTs - firstTs) / 1e9;
    }

    public static CaptureSummary of(CaptureReader r) throws IOException {
        Set<Long> tids = new HashSet<>();
        Set<Long> pids = new HashSet<>();
        for (ThreadInfo t : r.state().threads()) {
            tids.add(t.tid());
            pids.add(t.pid());
        }
        long first = 0, last = 0, n = 0, visible = 0;
        for (Event e; (e = r.next()) != null; ) {
            n = Math.max(n, e.num()); // event numbers count the leading container events too
            if (e.ts() != 0 && (first == 0 || e.ts() < first)) {
                first = e.ts();
            }
            last = Math.max(last, e.ts());
            if (!e.isInternal()) {
                visible++;
            }
            if (e.thread() != null) {
                tids.add(e.thread().tid());
                pids.add(e.thread().pid());
            }
        }
        List<String> containers = new ArrayList<>();
        for (ContainerInfo c : r.state().containers()) {
            String label = c.id() + (c.name().isEmpty() ? "" : " " + c.name()) + (c.image().isEmpty() ? "" : " (" + c.image() + ")");
            containers.add(label);
        }
        List<String> ifs = new ArrayList<>();
        for (InterfaceEntry i : r.scap().interfaces()) {
            ifs.add(i.name() + " " + Net.ip(i.addr()));
        }
        MachineInfo m = r.scap().machine();
        return new CaptureSummary(r.scap().section().version(), m == null ? "" : m.hostname(), m == null ? 0 : m.numCpus(),
                m == null ? 0 : m.memorySizeBytes(), first, last, n, visible, tids.size(), pids.size(),
                List.copyOf(containers), r.state().users().size(), r.state().groups().size(), List.copyOf(ifs),
                r.scap().skippedUnknownEvents(), List.copyOf(r.scap().warnings()));
    }
}
