package dev.stasis.cli.capture;

import dev.stasis.capture.report.StreamFollower;
import dev.stasis.capture.state.Event;
import dev.stasis.capture.state.FdInfo;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fd PID:FD split into its lifetimes: a number reused after close (or dup2) is another file or
 * socket, and following it across reuses mixes unrelated streams under one name. The state
 * engine makes a new {@link FdInfo} for every open, socket, accept, dup... of the number, so
 * one FdInfo is one lifetime; each gets its own {@link StreamFollower}. Lifetimes that moved
 * no data are not counted.
 */
final class FdLifetimes {
    private final long pid;
    private final long fd;
    private final Map<FdInfo, StreamFollower> byInfo = new IdentityHashMap<>();
    private final List<StreamFollower> inOrder = new ArrayList<>();

    FdLifetimes(long pid, long fd) {
        this.pid = pid;
        this.fd = fd;
    }

    void add(Event e) {
        FdInfo info = e.fd();
        if (info == null || info.fd() != fd || e.thread() == null || e.thread().pid() != pid) return;
        byInfo.computeIfAbsent(info, k -> {
            StreamFollower f = StreamFollower.byFd(pid, fd);
            inOrder.add(f);
            return f;
        }).add(e);
    }

    /** The lifetimes that carried data, in the order they began. */
    List<StreamFollower> lifetimes() {
        return inOrder.stream().filter(f -> !f.chunks().isEmpty()).toList();
    }
}
