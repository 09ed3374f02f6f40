package dev.stasis.capture.state;

import dev.stasis.capture.scap.FdKind;

/**
 * libsinsp's parsers of the calls that make, copy or close fds other than sockets' own: open*,
 * pipe, socketpair, eventfd and friends, dup, fcntl, close.
 */
final class FileDescriptorParsers {
    private static final int O_DIRECTORY = 1 << 10;

    private final CaptureState state;

    FileDescriptorParsers(CaptureState state) {
        this.state = state;
    }

    void openExit(ParseContext c, String name) {
        if (c.t == null) {
            return;
        }
        long fd = c.num("fd", -1);
        String path = null;
        long flags = 0;
        long dirfd = -100;
        boolean at = name.startsWith("openat");
        if (c.enter != null) {
            int ni = ParseContext.enterIdx(c.enter, "name");
            if (ni >= 0) {
                String en = c.enter.string(ni);
                if (c.enter.paramLength(ni) != 0 && !en.equals("(NULL)")) {
                    path = en;
                    int fi = ParseContext.enterIdx(c.enter, "flags");
                    flags = fi >= 0 ? c.enter.integer(fi, false) : 0;
                    int di = ParseContext.enterIdx(c.enter, "dirfd");
                    if (di >= 0) {
                        dirfd = c.enter.integer(di, true);
                    }
                }
            }
        }
        if (path == null) {
            path = c.str("name");
            flags = c.num("flags", 0);
            dirfd = c.num("dirfd", -100);
        }
        if (path == null) {
            return;
        }
        String sdir;
        if (!at) {
            sdir = c.t.cwd();
        } else {
            sdir = dirfdBase(c, path, dirfd);
        }
        String full = Paths.concatenate(sdir, path);
        if (fd >= 0) {
            FdInfo fi = new FdInfo(fd, (flags & O_DIRECTORY) != 0 ? FdKind.DIRECTORY : FdKind.FILE_V2);
            fi.openFlags = (int) flags;
            fi.dev = (int) c.num("dev", 0);
            fi.ino = c.num("ino", 0);
            fi.name = full;
            c.t.fdTable().put(fd, fi);
            c.fd = fi;
        }
    }

    /** sinsp's parse_dirfd. */
    private String dirfdBase(ParseContext c, String name, long dirfd) {
        if (!name.isEmpty() && name.charAt(0) == '/') {
            return ".";
        }
        if (dirfd == -100) {
            return c.t.cwd();
        }
        FdInfo d = c.t.lookupFd(dirfd);
        c.fd = d;
        if (d == null) {
            return "<UNKNOWN>";
        }
        return d.name.endsWith("/") ? d.name : d.name + "/";
    }

    void closeExit(ParseContext c) {
        if (c.num("res", -1) < 0 || c.fd == null || c.t == null) {
            return;
        }
        state.tidOfFdsToRemove = c.t.tid;
        state.fdsToRemove.add(c.t.lastEventFd);
    }

    void pipeExit(ParseContext c) {
        if (c.num("res", -1) < 0 || c.t == null) {
            return;
        }
        long ino = c.num("ino", 0);
        for (String p : new String[] {"fd1", "fd2"}) {
            long fd = c.num(p, -1);
            FdInfo fi = new FdInfo(fd, FdKind.FIFO);
            fi.ino = ino;
            c.t.fdTable().put(fd, fi);
            if (c.fd == null || p.equals("fd1")) {
                c.fd = fi;
            }
        }
        c.fd = c.t.lookupFd(c.num("fd2", -1));
    }

    void socketpairExit(ParseContext c) {
        if (c.num("res", -1) < 0 || c.t == null) {
            return;
        }
        long fd1 = c.num("fd1", -1), fd2 = c.num("fd2", -1);
        FdInfo a = new FdInfo(fd1, FdKind.UNIX_SOCK);
        a.unixSource = c.num("source", 0);
        a.unixDest = c.num("peer", 0);
        c.t.fdTable().put(fd1, a);
        c.t.fdTable().put(fd2, a.copy(fd2));
        c.fd = a;
    }

    void simpleFd(ParseContext c, FdKind kind) {
        if (c.t == null) {
            return;
        }
        long fd = c.num("res", c.num("fd", -1));
        if (fd < 0) {
            return;
        }
        FdInfo fi = new FdInfo(fd, kind);
        c.t.fdTable().put(fd, fi);
        c.fd = fi;
    }

    void dupExit(ParseContext c) {
        if (c.t == null) {
            return;
        }
        long res = c.num("res", -1);
        if (res < 0 || c.fd == null) {
            return;
        }
        FdInfo copy = c.fd.copy(res);
        c.t.fdTable().put(res, copy);
        c.fd = copy;
    }

    void fcntlExit(ParseContext c) {
        if (c.t == null || c.fd == null || c.enter == null) {
            return;
        }
        long res = c.num("res", -1);
        int ci = ParseContext.enterIdx(c.enter, "cmd");
        if (res < 0 || ci < 0) {
            return;
        }
        long cmd = c.enter.integer(ci, false);
        // PPM_FCNTL_F_DUPFD (1) and F_DUPFD_CLOEXEC (26) create a copy
        if (cmd == 1 || cmd == 26) {
            FdInfo copy = c.fd.copy(res);
            c.t.fdTable().put(res, copy);
            c.fd = copy;
        }
    }
}
