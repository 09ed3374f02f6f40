package dev.stasis.analysis.load;

import dev.stasis.analysis.AnalysisException;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.detect.Capabilities;
import dev.stasis.analysis.report.Identity;
import dev.stasis.analysis.report.SourceInfo;
import dev.stasis.analysis.subject.ContainerSpec;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.MemoryView;
import dev.stasis.analysis.subject.OpenFd;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Sock;
import dev.stasis.analysis.subject.Subject;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.archive.ArchiveMember;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.NetworkInterface;
import dev.stasis.checkpoint.model.OpenFile;
import dev.stasis.checkpoint.model.ProcessInfo;
import dev.stasis.memory.ArchiveMemorySource;
import dev.stasis.memory.CheckpointMemory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the analysis {@link Subject} from a checkpoint archive with the
 * checkpoint module (archive, container metadata, processes) and the memory
 * module (pages), adding what only analysis needs: rootfs-diff contents and
 * digests, recovered deleted files and memfds, TCP queue bytes, the container
 * log. The archive stays open (memory is read lazily) until {@link Loaded#close()}.
 */
public final class CheckpointSubjects {
    static final int MAX_LOG_BYTES = 4 * 1024 * 1024;
    static final int MAX_LOG_LINES = 20_000;

    private CheckpointSubjects() {}

    /** A loaded subject, the checkpoint its memory is read from, and the memory module's view of it. */
    public record Loaded(Subject subject, Checkpoint checkpoint, ArchiveMemorySource memorySource) implements AutoCloseable {
        @Override
        public void close() {
            memorySource.close();
            checkpoint.close();
        }
    }

    public static Loaded load(Path path, Progress progress) {
        if (!Files.exists(path)) throw new AnalysisException("no such checkpoint: " + path);
        progress.stage("reading " + path.getFileName(), 6);
        Checkpoint cp = Checkpoint.open(path);
        ArchiveMemorySource memorySource = ArchiveMemorySource.over(cp.archive());
        try {
            Subject s = build(path, cp, memorySource, progress);
            return new Loaded(s, cp, memorySource);
        } catch (IOException e) {
            memorySource.close();
            cp.close();
            throw new AnalysisException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            memorySource.close();
            cp.close();
            throw e;
        }
    }

    private static Subject build(Path path, Checkpoint cp, ArchiveMemorySource memorySource, Progress progress) throws IOException {
        CheckpointArchive archive = cp.archive();
        List<String> notices = new ArrayList<>();
        SourceInfo source = source(path, archive);
        progress.advance(1);
        Container c = cp.container();
        ContainerSpec spec = SpecReader.read(archive.readIfPresent("spec.dump"), archive.readIfPresent("config.dump"), notices);
        progress.advance(2);

        List<ProcessInfo> infos = cp.processes().all();
        progress.advance(3);

        CheckpointMemory memory = null;
        MemoryView view = MemoryView.NONE;
        try {
            memory = CheckpointMemory.load(memorySource);
            view = new ArchiveMemoryView(memory);
        } catch (RuntimeException e) {
            notices.add("process memory could not be read (" + oneLine(e) + "): memory-based detections skipped");
        }
        progress.advance(4);

        List<DiffFile> recovered = new ArrayList<>();
        try {
            recovered.addAll(RecoveredFiles.ghosts(archive.images(), notices));
            recovered.addAll(RecoveredFiles.memfds(archive.images(), memory, notices));
        } catch (RuntimeException e) {
            notices.add("deleted files and memfds could not be recovered (" + oneLine(e) + ")");
        }

        Map<Long, SockBuilder> sockets = new LinkedHashMap<>();
        List<Proc> procs = new ArrayList<>();
        for (ProcessInfo p : infos) procs.add(proc(p, recovered, sockets));
        List<Sock> socks = new ArrayList<>();
        for (SockBuilder b : sockets.values()) socks.add(b.build(archive));

        List<DiffFile> diff = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        if (archive.has("rootfs-diff.tar")) {
            try (InputStream in = archive.open("rootfs-diff.tar")) {
                RootfsDiffReader.read(in, diff, deleted, notices);
            } catch (IOException | RuntimeException e) {
                notices.add("rootfs-diff.tar could not be read completely (" + oneLine(e) + ")");
            }
        }
        deleted.addAll(cp.deletedFiles());
        progress.advance(5);

        List<String> log = cp.containerLog().map(b -> new String(b, 0, Math.min(b.length, MAX_LOG_BYTES), StandardCharsets.UTF_8)
                .lines().limit(MAX_LOG_LINES).toList()).orElse(List.of());
        notices.addAll(cp.warnings());
        Identity identity = identity(c, archive);
        progress.advance(6);
        return new Subject(source, identity, spec, procs, socks, diff, deleted, recovered, log, view, notices);
    }

    private static Proc proc(ProcessInfo p, List<DiffFile> recovered, Map<Long, SockBuilder> sockets) {
        String exe = p.exe();
        if (exe != null && exe.endsWith(" (deleted)")) exe = exe.substring(0, exe.length() - " (deleted)".length());
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
                uid, euid, gid, capEff, seccomp, state, p.threads().size(), env, fds);
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

        Sock build(CheckpointArchive archive) {
            if (inet != null) {
                String family = "IPv6".equalsIgnoreCase(inet.family()) ? "inet6" : "inet";
                String proto = inet.protocol() == null ? "?" : inet.protocol().toLowerCase(Locale.ROOT);
                byte[][] q = inet.inQueue() + inet.outQueue() > 0 ? RecoveredFiles.tcpQueues(archive.images(), inet.inode())
                        : new byte[][] {new byte[0], new byte[0]};
                return new Sock(inet.fileId(), family, proto, lower(inet.state()), inet.src(), inet.srcPort(), inet.dst(), inet.dstPort(),
                        null, q[0], q[1], pids);
            }
            return new Sock(unix.fileId(), "unix", "unix-" + lower(unix.sockType()), lower(unix.state()), null, 0, null, 0,
                    unix.name() == null || unix.name().isEmpty() ? null : unix.name(), null, null, pids);
        }
    }

    private static String lower(String s) {
        return s == null ? "unknown" : s.toLowerCase(Locale.ROOT);
    }

    private static SourceInfo source(Path path, CheckpointArchive archive) throws IOException {
        if (Files.isDirectory(path)) return new SourceInfo(path.toString(), archive.sizeOf(""), null, "directory");
        MessageDigest md = RootfsDiffReader.sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                size += n;
            }
        }
        return new SourceInfo(path.toString(), size, HexFormat.of().formatHex(md.digest()),
                archive.compression() == null ? null : archive.compression().name().toLowerCase(Locale.ROOT));
    }

    private static Identity identity(Container c, CheckpointArchive archive) {
        List<String> addrs = c.networks().stream().map(NetworkInterface::ip).filter(Objects::nonNull).toList();
        String node = c.annotations().entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).matches(".*(node-?name|nodename|\\.node)$"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        Instant checkpointed = c.checkpointed();
        if (checkpointed == null) {
            // Podman records no checkpoint time: the newest image member's time is when CRIU wrote it.
            checkpointed = archive.members().stream().filter(m -> m.name().startsWith(CheckpointArchive.IMAGE_DIR + "/"))
                    .map(ArchiveMember::modified).filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
        }
        return new Identity(c.containerName() != null ? c.containerName() : c.name(), c.id(), c.podName(), c.namespace(), c.imageName(),
                c.imageRef(), c.engine() == null ? null : c.engine().display(), c.runtime(), node, c.hostname(), addrs, c.created(), checkpointed);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }
}
