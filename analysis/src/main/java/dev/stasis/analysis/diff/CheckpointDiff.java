package dev.stasis.analysis.diff;

import dev.stasis.analysis.AnalysisException;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.load.CheckpointSubjects;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.OpenFd;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Sock;
import dev.stasis.analysis.subject.Subject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two checkpoints of one container: processes (new,
 * gone, changed, memory size), descriptors, connections, the rootfs diff and
 * deleted files. New processes and connections come first, because that is
 * what an analyst comparing "before" and "after" looks for.
 */
public final class CheckpointDiff {
    private CheckpointDiff() {}

    /** A process row: who it is and its resident memory in each checkpoint (null where absent). */
    public record ProcessChange(String change, int pid, int ppid, String comm, String cmdline, String exe, Long memoryBefore,
                                Long memoryAfter, List<String> details) {}

    /** A socket row. */
    public record ConnectionChange(String change, String protocol, String local, String remote, String stateBefore, String stateAfter,
                                   List<Integer> pids) {}

    /** A descriptor opened or closed by a process present in both. */
    public record FdChange(String change, int pid, String comm, int fd, String target) {}

    /** A file change between the two rootfs diffs. */
    public record FileChange(String change, String path, String type, Long sizeBefore, Long sizeAfter, String sha256Before,
                             String sha256After) {}

    public record Result(String before, String after, String containerBefore, String containerAfter, boolean sameContainer,
                         List<ProcessChange> processes, List<ConnectionChange> connections, List<FdChange> fds,
                         List<FileChange> files, List<String> deletedFiles, List<String> notices) {
        /** Number of differences of any kind (0: the checkpoints show the same state). */
        public int count() {
            return (int) (processes.stream().filter(p -> !p.change().equals("unchanged")).count() + connections.size() + fds.size()
                    + files.size() + deletedFiles.size());
        }
    }

    public static Result compare(Path a, Path b, Progress progress) {
        try (CheckpointSubjects.Loaded la = CheckpointSubjects.load(a, progress);
             CheckpointSubjects.Loaded lb = CheckpointSubjects.load(b, progress)) {
            return compare(a.getFileName().toString(), la.pending(), b.getFileName().toString(), lb.pending());   // no digest needed
        } catch (AnalysisException e) {
            throw e;
        }
    }

    public static Result compare(String nameA, Subject a, String nameB, Subject b) {
        List<String> notices = new ArrayList<>();
        String ida = a.identity() == null ? null : a.identity().containerId();
        String idb = b.identity() == null ? null : b.identity().containerId();
        boolean same = ida == null || idb == null || ida.equals(idb);
        if (!same) notices.add("the checkpoints are of different containers (" + ida + " vs " + idb + "): pids are compared as they are");

        List<ProcessChange> procs = new ArrayList<>();
        List<FdChange> fds = new ArrayList<>();
        Map<Integer, Proc> before = new LinkedHashMap<>();
        for (Proc p : a.processes()) before.put(p.pid(), p);
        for (Proc p : b.processes()) {
            Proc old = before.remove(p.pid());
            long memAfter = b.memory().residentBytes(p.pid());
            if (old == null || !Objects.equals(old.comm(), p.comm()) && !Objects.equals(old.exe(), p.exe())) {
                procs.add(new ProcessChange("new", p.pid(), p.ppid(), p.comm(), p.commandLine(), p.exe(), null, memAfter, List.of()));
                continue;
            }
            List<String> details = new ArrayList<>();
            if (!Objects.equals(old.comm(), p.comm())) details.add("comm " + old.comm() + " -> " + p.comm());
            if (!Objects.equals(old.commandLine(), p.commandLine())) details.add("command line changed");
            if (!Objects.equals(old.exe(), p.exe())) details.add("executable " + old.exe() + " -> " + p.exe());
            if (!Objects.equals(old.state(), p.state())) details.add("state " + old.state() + " -> " + p.state());
            if (!Objects.equals(old.uid(), p.uid())) details.add("uid " + old.uid() + " -> " + p.uid());
            if (!Objects.equals(old.capEff(), p.capEff())) details.add("effective capabilities changed");
            if (old.threads() != p.threads()) details.add("threads " + old.threads() + " -> " + p.threads());
            long memBefore = a.memory().residentBytes(p.pid());
            procs.add(new ProcessChange(details.isEmpty() ? (memBefore == memAfter ? "unchanged" : "memory") : "changed",
                    p.pid(), p.ppid(), p.comm(), p.commandLine(), p.exe(), memBefore, memAfter, details));
            Map<Integer, OpenFd> oldFds = new LinkedHashMap<>();
            for (OpenFd f : old.fds()) oldFds.put(f.fd(), f);
            for (OpenFd f : p.fds()) {
                OpenFd was = oldFds.remove(f.fd());
                if (was == null) fds.add(new FdChange("opened", p.pid(), p.comm(), f.fd(), f.target()));
                else if (!kindAndTarget(was).equals(kindAndTarget(f))) {
                    fds.add(new FdChange("closed", p.pid(), p.comm(), f.fd(), was.target()));
                    fds.add(new FdChange("opened", p.pid(), p.comm(), f.fd(), f.target()));
                }
            }
            for (OpenFd f : oldFds.values()) fds.add(new FdChange("closed", p.pid(), p.comm(), f.fd(), f.target()));
        }
        for (Proc p : before.values()) {
            procs.add(new ProcessChange("gone", p.pid(), p.ppid(), p.comm(), p.commandLine(), p.exe(), a.memory().residentBytes(p.pid()), null, List.of()));
        }
        procs.sort((x, y) -> rank(x.change()) != rank(y.change()) ? Integer.compare(rank(x.change()), rank(y.change())) : Integer.compare(x.pid(), y.pid()));

        List<ConnectionChange> conns = new ArrayList<>();
        Map<String, Sock> oldSocks = new LinkedHashMap<>();
        for (Sock s : a.sockets()) oldSocks.putIfAbsent(key(s), s);
        for (Sock s : b.sockets()) {
            Sock was = oldSocks.remove(key(s));
            if (was == null) conns.add(new ConnectionChange("new", s.protocol(), local(s), s.remote(), null, s.state(), s.pids()));
            else if (!Objects.equals(was.state(), s.state())) conns.add(new ConnectionChange("state", s.protocol(), local(s), s.remote(), was.state(), s.state(), s.pids()));
        }
        for (Sock s : oldSocks.values()) conns.add(new ConnectionChange("closed", s.protocol(), local(s), s.remote(), s.state(), null, s.pids()));
        conns.sort((x, y) -> Integer.compare(rank(x.change()), rank(y.change())));

        List<FileChange> files = new ArrayList<>();
        Map<String, DiffFile> oldFiles = new LinkedHashMap<>();
        for (DiffFile f : a.rootfsDiff()) oldFiles.put(f.path(), f);
        for (DiffFile f : b.rootfsDiff()) {
            DiffFile was = oldFiles.remove(f.path());
            if (was == null) files.add(new FileChange("added", f.path(), f.type(), null, f.size(), null, f.sha256()));
            else if (!Objects.equals(was.sha256(), f.sha256()) || !Objects.equals(was.type(), f.type()) || was.mode() != f.mode()) {
                files.add(new FileChange("modified", f.path(), f.type(), was.size(), f.size(), was.sha256(), f.sha256()));
            }
        }
        for (DiffFile f : oldFiles.values()) files.add(new FileChange("removed", f.path(), f.type(), f.size(), null, f.sha256(), null));

        Set<String> deleted = new TreeSet<>(b.deletedFiles());
        a.deletedFiles().forEach(deleted::remove);
        return new Result(nameA, nameB, ida, idb, same, procs, conns, fds, files, List.copyOf(deleted), notices);
    }

    private static String kindAndTarget(OpenFd f) {
        return f.kind() + " " + f.target();
    }

    private static int rank(String change) {
        return switch (change) {
            case "new" -> 0;
            case "changed", "state" -> 1;
            case "gone", "closed" -> 2;
            case "memory" -> 3;
            default -> 4;
        };
    }

    private static String key(Sock s) {
        return s.protocol() + "|" + local(s) + "|" + s.remote();
    }

    private static String local(Sock s) {
        return s.isInet() ? s.local() : (s.unixPath() == null ? "unix:" + s.id() : s.unixPath());
    }
}
