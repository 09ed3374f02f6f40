package dev.stasis.capture.report;

import dev.stasis.capture.state.Event;
import dev.stasis.capture.state.FdInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Reassembles the data of one stream (Stratoshark's Follow FD stream): every
 * successful read and write on the selected fd, in capture order, marked with
 * its direction. Data is what the capture holds (drivers keep a snapshot of
 * each buffer, so long transfers can be cut).
 */
public final class StreamFollower {
    /** One read (IN) or write (OUT) with the bytes the capture holds and the size the syscall moved. */
    public record Chunk(long num, long ts, boolean in, long size, byte[] data) {
    }

    private final long pid;
    private final long fdNum;
    private final String tuple;
    private final List<Chunk> chunks = new ArrayList<>();
    private String description;

    private StreamFollower(long pid, long fdNum, String tuple) {
        this.pid = pid;
        this.fdNum = fdNum;
        this.tuple = tuple;
    }

    /** Follows fd {@code fd} of process {@code pid}. */
    public static StreamFollower byFd(long pid, long fd) {
        return new StreamFollower(pid, fd, null);
    }

    /** Follows the connection whose fd.name is the tuple, in either direction ({@code 1.2.3.4:5->6.7.8.9:80}). */
    public static StreamFollower byTuple(String tuple) {
        return new StreamFollower(-1, -1, tuple.replace(" ", ""));
    }

    private boolean selects(Event e, FdInfo fd) {
        if (tuple != null) {
            String name = fd.name();
            if (name.equals(tuple)) {
                return true;
            }
            int arrow = tuple.indexOf("->");
            return arrow > 0 && name.equals(tuple.substring(arrow + 2) + "->" + tuple.substring(0, arrow));
        }
        return e.thread() != null && e.thread().pid() == pid && fd.fd() == fdNum;
    }

    public void add(Event e) {
        FdInfo fd = e.fd();
        if (fd == null || e.isEnter() || !selects(e, fd)) {
            return;
        }
        long size = EventSource.ioBytes(e);
        if (size <= 0) {
            return;
        }
        if (description == null) {
            description = "<" + fd.typeChar() + ">" + fd.name() + " " + EventSource.proc(e) + " fd " + fd.fd();
        }
        int di = e.paramIndex("data");
        byte[] data = di < 0 ? new byte[0] : e.raw().bytes(di);
        if (data.length > size) {
            data = java.util.Arrays.copyOf(data, (int) size);
        }
        chunks.add(new Chunk(e.num(), e.ts(), EventSource.isRead(e), size, data));
    }

    public List<Chunk> chunks() {
        return List.copyOf(chunks);
    }

    /** The followed fd as {@code <type>name comm[pid] fd N}, or null if nothing matched. */
    public String description() {
        return description;
    }
}
