package dev.stasis.capture.report;

import dev.stasis.capture.scap.EventInfo;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.capture.state.Event;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Walks the events sysdig would print (optionally those a filter selects). */
public final class EventSource {
    private EventSource() {}

    public static void forEach(CaptureReader reader, Predicate<Event> filter, Consumer<Event> sink) throws IOException {
        for (Event e; (e = reader.next()) != null; ) {
            if (!e.isInternal() && (filter == null || filter.test(e))) {
                sink.accept(e);
            }
        }
    }

    /** Bytes moved by a successful read/write-like exit event, else 0. */
    static long ioBytes(Event e) {
        if (e.isEnter() || e.fd() == null) {
            return 0;
        }
        if (!e.info().is(EventInfo.READS_FROM_FD) && !e.info().is(EventInfo.WRITES_TO_FD)) {
            return 0;
        }
        Long res = e.intParam("res");
        return res == null || res < 0 ? 0 : res;
    }

    static boolean isRead(Event e) {
        return e.info().is(EventInfo.READS_FROM_FD);
    }

    static String proc(Event e) {
        return e.thread() == null ? "<NA>" : e.thread().comm() + "[" + e.thread().pid() + "]";
    }
}
