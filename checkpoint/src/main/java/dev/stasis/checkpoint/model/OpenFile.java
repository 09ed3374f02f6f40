package dev.stasis.checkpoint.model;

/**
 * One open file descriptor of a process, from {@code fdinfo-<files_id>.img} joined with
 * {@code files.img}. The variants follow CRIU's {@code fd_types}.
 */
public sealed interface OpenFile permits OpenFile.Regular, OpenFile.InetSocket, OpenFile.UnixSocket, OpenFile.PacketSocket,
        OpenFile.NetlinkSocket, OpenFile.Pipe, OpenFile.Memfd, OpenFile.EventFd, OpenFile.EventPoll, OpenFile.SignalFd,
        OpenFile.TimerFd, OpenFile.Inotify, OpenFile.Fanotify, OpenFile.Tty, OpenFile.Other {

    /** The descriptor number in the process. */
    int fd();

    /** CRIU's file id (shared by descriptors that refer to the same open file). */
    long fileId();

    /** checkpointctl's type name: REG, PIPE, INETSK, UNIXSK, MEMFD, ... */
    String type();

    /** A one-line description: the path, "socket:[ino]", "pipe:[ino]", ... */
    String describe();

    /**
     * A regular file or directory.
     *
     * @param deleted the file was unlinked while open ({@code path} then ends in " (deleted)")
     * @param ghost   its contents are in the checkpoint ({@code ghost-file-<id>.img}): extractable
     */
    record Regular(int fd, long fileId, String path, long size, int mode, long flags, long pos, boolean deleted, boolean ghost)
            implements OpenFile {
        public String type() { return "REG"; }
        public String describe() { return path; }
    }

    /**
     * An AF_INET/AF_INET6 socket.
     *
     * @param family    "IPv4" / "IPv6"
     * @param protocol  "TCP", "UDP", "ICMP", ...
     * @param state     "ESTABLISHED", "LISTEN", ...
     * @param inQueue   bytes not yet read by the process (TCP: {@code tcp-stream-<ino>.img})
     * @param outQueue  bytes sent but not acknowledged
     * @param inPreview printable preview of {@code inQueue} bytes ("." for non-printables), or null
     */
    record InetSocket(int fd, long fileId, long inode, String family, String sockType, String protocol, String state,
                      String src, int srcPort, String dst, int dstPort, long sendBuf, long recvBuf,
                      long inQueue, long outQueue, String inPreview, String outPreview) implements OpenFile {
        public String type() { return "INETSK"; }
        public String describe() {
            return protocol + " " + src + ":" + srcPort + (dst == null || dstPort == 0 && state.equals("LISTEN") ? "" : " -> " + dst + ":" + dstPort) + " (" + state + ")";
        }
    }

    /** An AF_UNIX socket; {@code name} is its bound path ("@" prefix for abstract names), possibly empty. */
    record UnixSocket(int fd, long fileId, long inode, long peerInode, String sockType, String state, String name,
                      long sendBuf, long recvBuf) implements OpenFile {
        public String type() { return "UNIXSK"; }
        public String describe() { return "unix " + sockType + " " + (name == null || name.isEmpty() ? "socket:[" + inode + "]" : name) + " (" + state + ")"; }
    }

    record PacketSocket(int fd, long fileId, long inode, int protocol) implements OpenFile {
        public String type() { return "PACKETSK"; }
        public String describe() { return "packet socket:[" + inode + "]"; }
    }

    record NetlinkSocket(int fd, long fileId, long inode, int protocol) implements OpenFile {
        public String type() { return "NETLINKSK"; }
        public String describe() { return "netlink socket:[" + inode + "]"; }
    }

    /**
     * A pipe or FIFO.
     *
     * @param pipeId   the pipe's inode: both ends share it
     * @param fifoPath the FIFO's path, null for an anonymous pipe
     * @param buffered bytes in the pipe at checkpoint time ({@code pipes-data.img})
     */
    record Pipe(int fd, long fileId, long pipeId, long flags, String fifoPath, long buffered) implements OpenFile {
        public String type() { return fifoPath == null ? "PIPE" : "FIFO"; }
        public String describe() { return fifoPath == null ? "pipe:[" + pipeId + "]" : fifoPath; }
    }

    /** A memfd: an anonymous in-memory file, contents in {@code memfd.img}; a fileless binary usually runs from one. */
    record Memfd(int fd, long fileId, long inodeId, String name, long size) implements OpenFile {
        public String type() { return "MEMFD"; }
        public String describe() { return "/memfd:" + name + " (deleted)"; }
    }

    record EventFd(int fd, long fileId, long counter) implements OpenFile {
        public String type() { return "EVENTFD"; }
        public String describe() { return "anon_inode:[eventfd]"; }
    }

    record EventPoll(int fd, long fileId, java.util.List<Integer> targets) implements OpenFile {
        public String type() { return "EVENTPOLL"; }
        public String describe() { return "anon_inode:[eventpoll]"; }
    }

    record SignalFd(int fd, long fileId, long sigmask) implements OpenFile {
        public String type() { return "SIGNALFD"; }
        public String describe() { return "anon_inode:[signalfd]"; }
    }

    record TimerFd(int fd, long fileId, int clockId) implements OpenFile {
        public String type() { return "TIMERFD"; }
        public String describe() { return "anon_inode:[timerfd]"; }
    }

    record Inotify(int fd, long fileId, java.util.List<String> watches) implements OpenFile {
        public String type() { return "INOTIFY"; }
        public String describe() { return "anon_inode:inotify"; }
    }

    record Fanotify(int fd, long fileId) implements OpenFile {
        public String type() { return "FANOTIFY"; }
        public String describe() { return "anon_inode:[fanotify]"; }
    }

    /** A terminal; {@code index} is the pty number where known. */
    record Tty(int fd, long fileId, String ttyType, int index) implements OpenFile {
        public String type() { return "TTY"; }
        public String describe() { return ttyType.equals("PTY") && index >= 0 ? "/dev/pts/" + index : "tty (" + ttyType + ")"; }
    }

    /** Any other descriptor kind (namespace files, tun, bpf maps, pidfds, external files). */
    record Other(int fd, long fileId, String type, String describe) implements OpenFile {}
}
