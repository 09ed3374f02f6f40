package dev.stasis.analysis.load;

import dev.stasis.checkpoint.criu.TcpStreamState;
import dev.stasis.analysis.detect.Capabilities;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.OpenFd;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Sock;
import dev.stasis.checkpoint.criu.ImageSource;
import dev.stasis.checkpoint.model.OpenFile;
import dev.stasis.checkpoint.model.ProcessInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;

/**
 * The checkpoint model's processes and the sockets they hold, as the detectors see them
 * ({@link Proc}, {@link Sock}): flattened descriptors, numeric credentials, a deleted or
 * fileless executable's digest from the recovered files, the sockets' queued bytes.
 */
record ProcessViews(List<Proc> processes, List<Sock> sockets) {
    private static final String DELETED_MARK = " (deleted)";

    /** Sockets in the order processes first hold them. */
    static ProcessViews of(List<ProcessInfo> infos, List<DiffFile> recovered, ImageSource images) {
        Map<Long, SockBuilder> sockets = new LinkedHashMap<>();
        List<Proc> procs = new ArrayList<>();
        for (ProcessInfo p : infos) procs.add(proc(p, recovered, sockets));
        List<Sock> socks = new ArrayList<>();
        for (SockBuilder b : sockets.values()) socks.add(b.build(images));
        return new ProcessViews(procs, socks);
    }

    /** "/var/tmp/x" from the model's "/var/tmp/x (deleted)", as the file's own path reads. */
    static String withoutDeletedMark(String path) {
        return path != null && path.endsWith(DELETED_MARK) ? path.substring(0, path.length() - DELETED_MARK.length()) : path;
    }

    private static Proc proc(ProcessInfo p, List<DiffFile> recovered, Map<Long, SockBuilder> sockets) {
        String exe = withoutDeletedMark(p.exe());
        String sha = null;
        Long size = null;
        if (exe != null && (p.exeDeleted() || p.exeMemfd())) {
            for (DiffFile f : recovered) {
                if (f.path().equals(exe) && f.sha256() != null) {
                    sha = f.sha256();
                    size = f.size();
                }
            }
        }
        Integer uid = null, euid = null, gid = null, seccomp = null;
        Long capEff = null;
        if (p.credentials() != null) {
            var cr = p.credentials();
            if (!cr.uids().isEmpty()) uid = cr.uids().get(0).intValue();
            if (cr.uids().size() > 1) euid = cr.uids().get(1).intValue();
            if (!cr.gids().isEmpty()) gid = cr.gids().get(0).intValue();
            seccomp = cr.seccompMode();
            long bits = 0;
            for (String n : cr.capEffective()) {
                int b = Capabilities.bit(n);
                if (b >= 0) bits |= 1L << b;
            }
            capEff = bits;
        }
        List<String> argv = p.cmdline() == null ? List.of() : p.cmdline().entries();
        List<String> env = p.environment() == null ? List.of() : p.environment().entries();
        String state = p.state() == null ? "unknown" : p.state().name().toLowerCase(Locale.ROOT);
        return new Proc(p.pid(), p.ppid(), p.comm(), argv, exe, p.exeDeleted() && !p.exeMemfd(), p.exeMemfd(), sha, size, p.cwd(),
                uid, euid, gid, capEff, seccomp, state, p.threads().size(), env, descriptors(p, sockets));
    }

    /** The process's descriptors; each socket it holds is noted with its pid. */
    private static List<OpenFd> descriptors(ProcessInfo p, Map<Long, SockBuilder> sockets) {
        List<OpenFd> fds = new ArrayList<>();
        for (OpenFile f : p.files()) {
            switch (f) {
                case OpenFile.InetSocket s -> {
                    fds.add(new OpenFd(s.fd(), "socket", s.describe(), s.fileId(), false));
                    sockets.computeIfAbsent(s.fileId(), k -> new SockBuilder(s, null)).add(p.pid());
                }
                case OpenFile.UnixSocket s -> {
                    fds.add(new OpenFd(s.fd(), "socket", s.describe(), s.fileId(), false));
                    sockets.computeIfAbsent(s.fileId(), k -> new SockBuilder(null, s)).add(p.pid());
                }
                case OpenFile.Regular r -> fds.add(new OpenFd(r.fd(), "file", r.path(), null, r.deleted()));
                default -> fds.add(new OpenFd(f.fd(), f.type().toLowerCase(Locale.ROOT), f.describe(), null, false));
            }
        }
        return fds;
    }

    /** Gathers the holders of one socket while processes are converted. */
    private static final class SockBuilder {
        final OpenFile.InetSocket inet;
        final OpenFile.UnixSocket unix;
        final List<Integer> pids = new ArrayList<>();

        void add(int pid) {
            if (!pids.contains(pid)) pids.add(pid);
        }

        SockBuilder(OpenFile.InetSocket inet, OpenFile.UnixSocket unix) {
            this.inet = inet;
            this.unix = unix;
        }

        Sock build(ImageSource images) {
            if (inet != null) {
                String family = "IPv6".equalsIgnoreCase(inet.family()) ? "inet6" : "inet";
                String proto = inet.protocol() == null ? "?" : inet.protocol().toLowerCase(Locale.ROOT);
                Optional<TcpStreamState> q = inet.inQueue() + inet.outQueue() > 0 ? queues(images, inet.inode()) : Optional.empty();
                return new Sock(inet.fileId(), family, proto, lower(inet.state()), inet.src(), inet.srcPort(), inet.dst(), inet.dstPort(),
                        null, q.map(TcpStreamState::inQueue).orElse(NO_BYTES), q.map(TcpStreamState::outQueue).orElse(NO_BYTES), pids);
            }
            return new Sock(unix.fileId(), "unix", "unix-" + lower(unix.sockType()), lower(unix.state()), null, 0, null, 0,
                    unix.name() == null || unix.name().isEmpty() ? null : unix.name(), null, null, pids);
        }
    }

    private static final byte[] NO_BYTES = new byte[0];

    /** The bytes in flight when the connection was frozen; a damaged image hides only its own queues. */
    private static Optional<TcpStreamState> queues(ImageSource images, long inode) {
        try {
            return TcpStreamState.read(images, inode);
        } catch (RuntimeException damaged) {
            return Optional.empty();
        }
    }

    private static String lower(String s) {
        return s == null ? "unknown" : s.toLowerCase(Locale.ROOT);
    }
}
