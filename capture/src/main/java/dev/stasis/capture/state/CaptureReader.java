package dev.stasis.capture.state;

import dev.stasis.capture.scap.RawEvent;
import dev.stasis.capture.scap.ScapReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads a capture event by event with the system state resolved at each event:
 * the entry point for the commands and the filter/rules engine.
 * <pre>
 * try (CaptureReader r = CaptureReader.open(path)) {
 *     for (Event e; (e = r.next()) != null; ) { ... }
 * }
 * </pre>
 * Like {@code sysdig -r}, the container events at the start of a capture are applied
 * to the state without being returned; {@link Event#isInternal()} marks the events
 * sysdig does not print (procinfo and other internal events). A capture made of
 * several concatenated sections is read through; at each new section the state is
 * rebuilt from that section's metadata, as sysdig does, so {@link #state()} then
 * returns a new object.
 */
public final class CaptureReader implements Closeable {
    private final ScapReader scap;
    private StateEngine engine = new StateEngine();
    private RawEvent pending;
    private int section;

    private CaptureReader(ScapReader scap) throws IOException {
        this.scap = scap;
        // sysdig consumes leading container events before importing the thread table
        RawEvent e;
        while ((e = scap.nextShared()) != null && e.info().name().equals("container")) {
            engine.apply(e);
        }
        pending = e;
        engine.load(scap);
        section = scap.sections();
    }

    public static CaptureReader open(Path file) throws IOException {
        ScapReader s = ScapReader.open(file);
        try {
            return new CaptureReader(s);
        } catch (IOException | RuntimeException ex) {
            s.close();
            throw ex;
        }
    }

    public static CaptureReader open(ScapReader scap) throws IOException {
        return new CaptureReader(scap);
    }

    /** The underlying block reader (header, machine, metadata lists, warnings). */
    public ScapReader scap() {
        return scap;
    }

    public CaptureState state() {
        return engine.state();
    }

    /**
     * The next event (including internal ones), or null at the end. The returned
     * Event is one object the reader refills on every call: use it before calling
     * next() again (copy what must outlive it).
     */
    public Event next() throws IOException {
        RawEvent e = pending != null ? pending : scap.nextShared();
        pending = null;
        if (e != null && scap.sections() != section) {
            // a concatenated capture's next section: like sysdig's restart_capture, the
            // state starts over from that section's metadata (event numbers go on)
            section = scap.sections();
            engine = new StateEngine();
            engine.load(scap);
        }
        return e == null ? null : engine.apply(e);
    }

    /** Calls {@code sink} for every event sysdig would print (internal events skipped). */
    public void forEachVisible(Consumer<Event> sink) throws IOException {
        for (Event e; (e = next()) != null; ) {
            if (!e.isInternal()) {
                sink.accept(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        scap.close();
    }
}
