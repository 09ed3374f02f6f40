package dev.stasis.capture.state;

import dev.stasis.capture.scap.EventInfo;
import dev.stasis.capture.scap.RawEvent;


/** The per-event context the parsers share: the event, its thread and fd, the paired enter event. */
final class ParseContext {
    RawEvent e;
    EventInfo info;
    ThreadInfo t;
    FdInfo fd;
    RawEvent enter;

    ParseContext reset(RawEvent e, EventInfo info, ThreadInfo t, FdInfo fd, RawEvent enter) {
        this.e = e;
        this.info = info;
        this.t = t;
        this.fd = fd;
        this.enter = enter;
        return this;
    }

    int idx(String p) {
        int i = info.paramIndex(p);
        return i < e.nparams() ? i : -1;
    }

    boolean has(String p) {
        return idx(p) >= 0;
    }

    long num(String p, long dflt) {
        int i = idx(p);
        return i < 0 || e.paramLength(i) == 0 ? dflt : e.integer(i, true);
    }

    String str(String p) {
        int i = idx(p);
        return i < 0 ? null : e.string(i);
    }

    byte[] bytes(String p) {
        int i = idx(p);
        return i < 0 ? null : e.bytes(i);
    }

    /** A parameter of the paired enter event. */
    RawEvent enterOr() {
        return enter;
    }

    /** Index of a parameter of the paired enter event, or -1. */
    static int enterIdx(RawEvent en, String p) {
        EventInfo ei = en.info();
        int i = ei.paramIndex(p);
        return i < en.nparams() ? i : -1;
    }
}
