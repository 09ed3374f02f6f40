package dev.stasis.capture;

import dev.stasis.capture.scap.RawEvent;
import dev.stasis.capture.scap.ScapReader;
import dev.stasis.capture.scap.ScapWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A large capture built from a real one: its events written again and again
 * (timestamps shifted so they keep increasing), its metadata once. Tests use it for
 * captures several read buffers long; the bench module's {@code RepeatCapture}
 * (which reaches it through this module's test jar) for benchmark-sized ones.
 */
public final class RepeatedCapture {
    private RepeatedCapture() {}

    /** Writes at least {@code minEvents} events of {@code in} to {@code out}; returns how many it wrote. */
    public static long write(Path in, Path out, long minEvents) throws IOException {
        List<RawEvent> events = new ArrayList<>();
        try (ScapReader r = ScapReader.open(in)) {
            for (RawEvent e; (e = r.next()) != null; ) {
                events.add(e);
            }
            long first = Long.MAX_VALUE, last = 0;
            for (RawEvent e : events) {
                if (e.ts() != 0) {
                    first = Math.min(first, e.ts());
                    last = Math.max(last, e.ts());
                }
            }
            long span = Math.max(1, last - first + 1000);
            long written = 0;
            try (ScapWriter w = ScapWriter.create(Files.newOutputStream(out))) {
                w.writeMetadata(r.machine(), r.interfaces(), r.users(), r.groups(), r.processes(), r.fds());
                for (int rep = 0; written < minEvents; rep++) {
                    long shift = rep * span;
                    for (RawEvent e : events) {
                        if (rep > 0 && e.info().name().equals("container")) {
                            continue; // container events describe the capture once
                        }
                        w.writeEvent(shifted(e, e.ts() == 0 ? 0 : shift));
                        written++;
                    }
                }
            }
            return written;
        }
    }

    private static RawEvent shifted(RawEvent e, long shift) {
        if (shift == 0) {
            return e;
        }
        int n = e.nparams();
        int[] offs = new int[n];
        int[] lens = new int[n];
        for (int i = 0; i < n; i++) {
            offs[i] = e.offset(i);
            lens[i] = e.paramLength(i);
        }
        return new RawEvent(e.num(), -1, e.blockType(), e.cpu(), e.dumpFlags(), e.ts() + shift, e.tid(), e.type(),
                e.data(), offs, lens);
    }
}
