package dev.stasis.capture.state;

import dev.stasis.capture.scap.EventInfo;
import dev.stasis.capture.scap.FdKind;
import dev.stasis.capture.scap.RawEvent;
import dev.stasis.capture.scap.ScapReader;

/**
 * Keeps a {@link CaptureState} up to date event by event, following libsinsp's
 * parser: threads from clone/fork/execve/procexit, fds from open/socket/connect/
 * accept/bind/pipe/dup/close and friends, cwd, credentials and containers.
 * Enter and exit events are paired per thread as sysdig does, which is how old
 * captures (parameters split between the two) resolve the same as new ones.
 * This class dispatches and pairs; the parsers live in {@link ProcessListLoader},
 * {@link FileDescriptorParsers}, {@link SocketParsers}, {@link ProcessParsers} and
 * {@link ContainerResolver}, the per-type table in {@link EventActions}.
 */
public final class StateEngine {
    private final CaptureState state = new CaptureState();
    private final ContainerResolver containers = new ContainerResolver(state);
    private final ProcessListLoader loader = new ProcessListLoader(state, containers);
    private final FileDescriptorParsers files = new FileDescriptorParsers(state);
    private final SocketParsers sockets = new SocketParsers(state);
    private final ProcessParsers processes = new ProcessParsers(state, containers);

    /** The one Event this engine hands out, refilled for every event. */
    private final Event view = new Event(state);
    /** The per-event context of the parsers, likewise reused. */
    private final ParseContext ctx = new ParseContext();

    public CaptureState state() {
        return state;
    }

    /** Loads the metadata the reader found before the first event. */
    public void load(ScapReader r) {
        loader.load(r);
    }

    /**
     * Applies one event and returns the view of it: one object, refilled by the next
     * call. The event may be a reader's shared event: an enter event a thread must
     * remember (to pair it with its exit) is copied into that thread's own holder.
     */
    public Event apply(RawEvent e) {
        if (state.removalsPending()) {
            state.flushRemovals();
        }
        EventInfo info = e.info();
        int type = e.type();
        // 272 and 324: PPME_CONTAINER_JSON_E and _2_E, which sinsp::next leaves out
        if (state.firstEventTs == 0 && type != 272 && type != 324) state.firstEventTs = e.ts();
        boolean internal = info.is(EventInfo.INTERNAL);
        byte kind = type < EventActions.KIND.length ? EventActions.KIND[type] : EventActions.K_NORMAL;
        if (kind == EventActions.K_CONTAINER) {
            if (info.isEnter()) {
                containers.parseJson(e);
            }
            return view.set(e, info, null, null, null, internal, false);
        }
        if (kind == EventActions.K_SKIP || kind == EventActions.K_PROCINFO) {
            ThreadInfo t = kind == EventActions.K_PROCINFO ? state.thread(e.tid()) : null;
            return view.set(e, info, t, null, null, internal, false);
        }
        boolean isClone = kind == EventActions.K_CLONE_EXIT;
        boolean isSwitch = kind == EventActions.K_SWITCH;
        ThreadInfo t = (isClone || isSwitch) ? state.thread(e.tid()) : state.getOrCreate(e.tid());
        FdInfo fd = null;
        RawEvent enter = null;
        if (t != null && !isSwitch) {
            if (info.isEnter()) {
                // libsinsp's event latency: an exit's time since its thread's last enter
                t.latency = 0;
                t.latencyEnterTs = e.ts();
                t.lastEventType = type;
                t.lastEventFd = -1;
                t.lastEnter = EventActions.NEEDS_ENTER[type] ? t.enterHolder().copyFrom(e) : null;
                t.lastEnterValid = true;
                if (info.is(EventInfo.USES_FD) && e.nparams() > 0) {
                    t.lastEventFd = e.integer(0, true);
                    fd = t.lookupFd(t.lastEventFd);
                }
            } else {
                if (t.latencyEnterTs != 0) {
                    t.latency = e.ts() - t.latencyEnterTs;
                }
                boolean matched = type == t.lastEventType + 1;
                if (matched && t.lastEnter != null && t.lastEnter.type() == type - 1) {
                    enter = t.lastEnter;
                }
                if (matched && info.is(EventInfo.USES_FD)) {
                    if (EventActions.COPY_FILE_RANGE[type] && e.nparams() > 1) {
                        t.lastEventFd = e.integer(1, true);
                    }
                    fd = t.lookupFd(t.lastEventFd);
                }
            }
        }
        ParseContext c = ctx.reset(e, info, t, fd, enter);
        if (t != null || isClone) {
            parse(c, type);
        }
        if (t != null && !info.isEnter()) {
            t.lastEnter = null;
            t.lastEnterValid = false;
        }
        ThreadInfo shown = t != null ? t : (isClone ? state.thread(e.tid()) : null);
        FdInfo shownFd = c.fd;
        c.reset(null, null, null, null, null);
        // libsinsp: the fd's name differs from what it was when this event looked the fd up
        // (a new fd counts from ""): open exits, connects and sends that set a tuple
        boolean nameChanged = shownFd != null && !shownFd.name.equals(shownFd.oldName);
        return view.set(e, info, shown, shownFd, enter, internal, nameChanged);
    }

    private void parse(ParseContext c, int type) {
        switch (EventActions.ACTION[type]) {
            case EventActions.A_NONE -> { }
            case EventActions.A_CONNECT_E -> sockets.connectEnter(c);
            case EventActions.A_SENDTO_E -> {
                if (c.fd == null && c.t != null) {
                    sockets.inferSendto(c);
                }
            }
            case EventActions.A_PROCEXIT_E -> state.tidToRemove = c.e.tid();
            case EventActions.A_OPEN -> files.openExit(c, c.info.name());
            case EventActions.A_SOCKET -> sockets.socketExit(c);
            case EventActions.A_BIND -> sockets.bindExit(c);
            case EventActions.A_CONNECT -> sockets.connectExit(c);
            case EventActions.A_ACCEPT -> sockets.acceptExit(c);
            case EventActions.A_CLOSE -> files.closeExit(c);
            case EventActions.A_PIPE -> files.pipeExit(c);
            case EventActions.A_SOCKETPAIR -> files.socketpairExit(c);
            case EventActions.A_EVENTFD -> files.simpleFd(c, FdKind.EVENT);
            case EventActions.A_SIGNALFD -> files.simpleFd(c, FdKind.SIGNALFD);
            case EventActions.A_TIMERFD -> files.simpleFd(c, FdKind.TIMERFD);
            case EventActions.A_INOTIFY -> files.simpleFd(c, FdKind.INOTIFY);
            case EventActions.A_EPOLL -> files.simpleFd(c, FdKind.EVENTPOLL);
            case EventActions.A_DUP -> files.dupExit(c);
            case EventActions.A_FCNTL -> files.fcntlExit(c);
            case EventActions.A_CHDIR -> processes.chdirExit(c);
            case EventActions.A_FCHDIR -> processes.fchdirExit(c);
            case EventActions.A_CLONE -> processes.cloneExit(c);
            case EventActions.A_EXECVE -> processes.execveExit(c);
            case EventActions.A_SETUID -> processes.setIdExit(c, "uid", true);
            case EventActions.A_SETGID -> processes.setIdExit(c, "gid", false);
            case EventActions.A_SETRESUID -> processes.setIdExit(c, "euid", true);
            case EventActions.A_SETRESGID -> processes.setIdExit(c, "egid", false);
            case EventActions.A_CAPSET -> processes.capsetExit(c);
            case EventActions.A_SETSID -> processes.setsidExit(c);
            case EventActions.A_RW -> sockets.rwExit(c, c.info.name());
            default -> { }
        }
    }
}
