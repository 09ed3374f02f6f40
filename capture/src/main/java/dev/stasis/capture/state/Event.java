package dev.stasis.capture.state;

import dev.stasis.capture.scap.EventInfo;
import dev.stasis.capture.scap.EventTable;
import dev.stasis.capture.scap.ParamInfo;
import dev.stasis.capture.scap.RawEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One event with the state resolved at it: what sysdig's field extractors see.
 * The reader reuses one Event (and its raw event) for every event, and the thread
 * and fd are live state objects: read what you need before asking the reader for
 * the next event (the same contract as sysdig's sinsp_evt). {@code raw().copy()}
 * keeps the raw event.
 */
public final class Event {
    /**
     * The local clock, made on first use: the system time zone's rules are found through a
     * ServiceLoader, which opens every jar on the class path, and a filtered read that prints
     * {@code %evt.num} never needs them.
     */
    private static final class Clock {
        static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    }

    // One Event per reader, refilled for every event (see CaptureReader.next).
    private RawEvent raw;
    private EventInfo info;
    private final CaptureState state;
    private ThreadInfo thread;
    private FdInfo fd;
    private RawEvent enter;
    private boolean internal;
    private boolean fdNameChanged;
    private String args;

    Event(CaptureState state) {
        this.state = state;
    }

    Event set(RawEvent raw, EventInfo info, ThreadInfo thread, FdInfo fd, RawEvent enter, boolean internal,
            boolean fdNameChanged) {
        this.fdNameChanged = fdNameChanged;
        this.raw = raw;
        this.info = info;
        this.thread = thread;
        this.fd = fd;
        this.enter = enter;
        this.internal = internal;
        this.args = null;
        return this;
    }

    /** %evt.num: 1-based position among all the capture's events. */
    public long num() { return raw.num(); }
    /** %evt.rawtime: nanoseconds since the epoch. */
    public long ts() { return raw.ts(); }
    /** %evt.cpu. */
    public int cpu() { return raw.cpu(); }
    /** %thread.tid as written in the event header. */
    public long tid() { return raw.tid(); }
    /** Event type number (even enter, odd exit). */
    public int type() { return raw.type(); }
    public EventInfo info() { return info; }
    public RawEvent raw() { return raw; }
    /** The state tables, for lookups of other threads, users, containers. */
    public CaptureState state() { return state; }

    /** %evt.type: the syscall or event name; generic events give the syscall's name. */
    public String name() {
        if ((raw.type() == 0 || raw.type() == 1) && raw.nparams() > 0) {
            return EventTable.get().syscallName((int) raw.integer(0, false));
        }
        return info.name();
    }

    /** %evt.dir: '>' enter, '<' exit. */
    public char direction() { return info.direction(); }
    public boolean isEnter() { return info.isEnter(); }

    /** Internal events (procinfo, ...) that sysdig does not print. */
    public boolean isInternal() { return internal; }

    /** The thread that generated the event (null for container events and before it is known). */
    public ThreadInfo thread() { return thread; }

    /** The fd the event refers to (sysdig's evt->m_fdinfo), or null. */
    public FdInfo fd() { return fd; }

    /**
     * For exit events: the thread's matching enter event, for the calls whose exit the
     * state engine completes from the enter's parameters (open, socket, fcntl, execve,
     * the set*id calls, sendto/sendmsg); null for the others and for unmatched exits.
     */
    public RawEvent enterEvent() { return enter; }

    /**
     * %fd.name_changed: parsing this event changed the name of its fd (a new fd counts
     * as changed from ""), e.g. an open exit, or a connect or send that set a socket's tuple.
     */
    public boolean fdNameChanged() { return fdNameChanged; }

    /**
     * %evt.latency: for an exit event, nanoseconds since its thread's last enter event
     * (libsinsp's m_latency, kept until the next enter); 0 for enter events and unknown threads.
     */
    public long latency() {
        return thread == null ? 0 : thread.latency;
    }

    public int paramCount() { return raw.nparams(); }

    /** Index of a parameter by name, or -1 (also -1 if the event does not carry it). */
    public int paramIndex(String name) {
        int i = info.paramIndex(name);
        return i < raw.nparams() ? i : -1;
    }

    public String paramName(int i) {
        return i < info.params().size() ? info.params().get(i).name() : "";
    }

    public ParamInfo paramInfo(int i) {
        return i < info.params().size() ? info.params().get(i) : null;
    }

    /** Raw bytes of a named parameter (%evt.rawarg), or null if absent. */
    public byte[] rawParam(String name) {
        int i = paramIndex(name);
        return i < 0 ? null : raw.bytes(i);
    }

    /** Integer value of a named numeric parameter, or null if absent. */
    public Long intParam(String name) {
        int i = paramIndex(name);
        if (i < 0 || raw.paramLength(i) == 0) {
            return null;
        }
        return raw.integer(i, true);
    }

    /** The parameter as sysdig prints it in evt.args without the resolved part (e.g. "3" for an fd). */
    public String paramValue(int i) {
        return ArgFormatter.format(this, i).value();
    }

    /** %evt.arg.NAME: the resolved value if there is one (e.g. "<f>/etc/passwd", "ENOENT"), else the plain one. */
    public String param(String name) {
        int i = paramIndex(name);
        if (i < 0) {
            return null;
        }
        ArgFormatter.Formatted f = ArgFormatter.format(this, i);
        return f.resolved().isEmpty() ? f.value() : f.resolved();
    }

    /** %evt.args: every parameter as {@code name=value(resolved) }, exactly as sysdig prints them. */
    public String args() {
        if (args == null) {
            args = ArgFormatter.args(this);
        }
        return args;
    }

    /** The return value (res, or fd for fd-creating exits), or null. */
    public Long res() {
        Long r = intParam("res");
        if (r == null && !isEnter() && info.is(EventInfo.CREATES_FD)) {
            r = intParam("fd");
        }
        return r;
    }

    /** %evt.outputtime in sysdig's default format: HH:MM:SS.nnnnnnnnn local time. */
    public String outputTime() {
        long ts = raw.ts();
        long sec = Math.floorDiv(ts, 1_000_000_000L);
        long nanos = Math.floorMod(ts, 1_000_000_000L);
        return Clock.HMS.format(Instant.ofEpochSecond(sec)) + "." + String.format("%09d", nanos);
    }

    /** sysdig -r's default line: {@code %evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args}. */
    public String defaultLine() {
        String comm = thread == null ? "<NA>" : thread.comm();
        return num() + " " + outputTime() + " " + cpu() + " " + comm + " (" + tid() + ") "
                + direction() + " " + name() + " " + args();
    }

    @Override
    public String toString() {
        return defaultLine();
    }
}
