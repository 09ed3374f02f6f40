package dev.stasis.capture.state;

import dev.stasis.capture.scap.EventInfo;

/**
 * What the state engine does with each event type, worked out once from the names so that
 * the per-event dispatch is an array load and an int switch, not string compares.
 */
final class EventActions {
    private EventActions() {}

    static final byte K_NORMAL = 0, K_CONTAINER = 1, K_SKIP = 2, K_PROCINFO = 3, K_CLONE_EXIT = 4, K_SWITCH = 5;
    static final byte[] KIND;
    static final byte[] ACTION;
    static final boolean[] COPY_FILE_RANGE;
    /**
     * Enter types whose exit parser reads the enter's parameters (open's name, socket's
     * domain, execve's filename, sendto's tuple...): only these are copied per thread;
     * for the others the exit is paired by type alone.
     */
    static final boolean[] NEEDS_ENTER;
    static final byte A_NONE = 0, A_CONNECT_E = 1, A_SENDTO_E = 2, A_PROCEXIT_E = 3, A_OPEN = 4, A_SOCKET = 5,
            A_BIND = 6, A_CONNECT = 7, A_ACCEPT = 8, A_CLOSE = 9, A_PIPE = 10, A_SOCKETPAIR = 11, A_EVENTFD = 12,
            A_SIGNALFD = 13, A_TIMERFD = 14, A_INOTIFY = 15, A_EPOLL = 16, A_DUP = 17, A_FCNTL = 18, A_CHDIR = 19,
            A_FCHDIR = 20, A_CLONE = 21, A_EXECVE = 22, A_SETUID = 23, A_SETGID = 24, A_SETRESUID = 25,
            A_SETRESGID = 26, A_CAPSET = 27, A_SETSID = 28, A_RW = 29;

    static {
        dev.stasis.capture.scap.EventTable table = dev.stasis.capture.scap.EventTable.get();
        KIND = new byte[table.size()];
        ACTION = new byte[table.size()];
        COPY_FILE_RANGE = new boolean[table.size()];
        NEEDS_ENTER = new boolean[table.size()];
        // from the names and flags alone: parsing every entry (table.info) would cost a cold start
        for (int type = 0; type < table.size(); type++) {
            String name = table.name(type);
            if (name == null) {
                continue;
            }
            boolean enter = EventInfo.isEnter(type);
            COPY_FILE_RANGE[type] = name.equals("copy_file_range");
            KIND[type] = name.equals("container") ? K_CONTAINER
                    : table.hasFlag(type, "EF_SKIPPARSERESET") ? (name.equals("procinfo") ? K_PROCINFO : K_SKIP)
                    : !enter && isCloneName(name) ? K_CLONE_EXIT
                    : name.equals("switch") ? K_SWITCH : K_NORMAL;
            ACTION[type] = enter ? switch (name) {
                case "connect" -> A_CONNECT_E;
                case "sendto" -> A_SENDTO_E;
                case "procexit" -> A_PROCEXIT_E;
                default -> A_NONE;
            } : switch (name) {
                case "open", "creat", "openat", "openat2" -> A_OPEN;
                case "socket" -> A_SOCKET;
                case "bind" -> A_BIND;
                case "connect" -> A_CONNECT;
                case "accept", "accept4" -> A_ACCEPT;
                case "close" -> A_CLOSE;
                case "pipe", "pipe2" -> A_PIPE;
                case "socketpair" -> A_SOCKETPAIR;
                case "eventfd", "eventfd2" -> A_EVENTFD;
                case "signalfd", "signalfd4" -> A_SIGNALFD;
                case "timerfd_create" -> A_TIMERFD;
                case "inotify_init", "inotify_init1" -> A_INOTIFY;
                case "epoll_create", "epoll_create1" -> A_EPOLL;
                case "dup", "dup2", "dup3" -> A_DUP;
                case "fcntl" -> A_FCNTL;
                case "chdir" -> A_CHDIR;
                case "fchdir" -> A_FCHDIR;
                case "clone", "fork", "vfork", "clone3" -> A_CLONE;
                case "execve", "execveat" -> A_EXECVE;
                case "setuid" -> A_SETUID;
                case "setgid" -> A_SETGID;
                case "setresuid" -> A_SETRESUID;
                case "setresgid" -> A_SETRESGID;
                case "capset" -> A_CAPSET;
                case "setsid" -> A_SETSID;
                case "read", "write", "recv", "send", "recvfrom", "recvmsg", "sendto", "sendmsg", "readv", "writev",
                        "pread", "pwrite", "preadv", "pwritev" -> A_RW;
                default -> A_NONE;
            };
        }
        for (int type = 0; type + 1 < table.size(); type += 2) {
            String exit = table.name(type + 1);
            if (table.name(type) == null || exit == null) {
                continue;
            }
            NEEDS_ENTER[type] = switch (ACTION[type + 1]) {
                case A_OPEN, A_SOCKET, A_FCNTL, A_EXECVE, A_SETUID, A_SETGID, A_SETRESUID, A_SETRESGID -> true;
                case A_RW -> exit.equals("sendto") || exit.equals("sendmsg");
                default -> false;
            };
        }
    }

    private static boolean isCloneName(String n) {
        return n.equals("clone") || n.equals("fork") || n.equals("vfork") || n.equals("clone3");
    }
}
