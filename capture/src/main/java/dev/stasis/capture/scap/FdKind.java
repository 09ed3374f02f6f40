package dev.stasis.capture.scap;

/** scap fd types, with the type character sysdig prints as %fd.typechar. */
public enum FdKind {
    UNKNOWN(0, '?', "unknown"),
    FILE(1, 'f', "file"),
    DIRECTORY(2, 'd', "directory"),
    IPV4_SOCK(3, '4', "ipv4"),
    IPV6_SOCK(4, '6', "ipv6"),
    IPV4_SERVSOCK(5, '4', "ipv4"),
    IPV6_SERVSOCK(6, '6', "ipv6"),
    FIFO(7, 'p', "pipe"),
    UNIX_SOCK(8, 'u', "unix"),
    EVENT(9, 'e', "event"),
    UNSUPPORTED(10, 'o', "unknown"),
    SIGNALFD(11, 's', "signalfd"),
    EVENTPOLL(12, 'l', "eventpoll"),
    INOTIFY(13, 'i', "inotify"),
    TIMERFD(14, 't', "timerfd"),
    NETLINK(15, 'n', "netlink"),
    FILE_V2(16, 'f', "file"),
    BPF(17, 'b', "bpf"),
    USERFAULTFD(18, 'u', "userfaultfd"),
    IOURING(19, 'r', "io_uring"),
    MEMFD(20, 'm', "memfd"),
    PIDFD(21, 'P', "pidfd");

    private final int code;
    private final char typeChar;
    private final String typeName;

    FdKind(int code, char typeChar, String typeName) {
        this.code = code;
        this.typeChar = typeChar;
        this.typeName = typeName;
    }

    public int code() {
        return code;
    }

    /** The character sysdig prints for %fd.typechar and inside {@code fd=3(<f>/etc/passwd)}. */
    public char typeChar() {
        return typeChar;
    }

    /** The name sysdig prints for %fd.type. */
    public String typeName() {
        return typeName;
    }

    public boolean isSocket() {
        return this == IPV4_SOCK || this == IPV6_SOCK || this == IPV4_SERVSOCK || this == IPV6_SERVSOCK
                || this == UNIX_SOCK || this == NETLINK;
    }

    public static FdKind of(int code) {
        for (FdKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
