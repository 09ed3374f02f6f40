package dev.stasis.analysis.report;

import dev.stasis.analysis.detect.FileTypes;
import dev.stasis.analysis.detect.Text;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.OpenFd;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Sock;
import dev.stasis.analysis.subject.Subject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assembles a {@link Report} from a subject and its findings: the verdict and
 * summary, the process tree with findings marked, connections, file changes,
 * memory excerpts and a timeline.
 */
public final class ReportBuilder {
    private ReportBuilder() {}

    public static Report build(Subject subject, List<Finding> findings, List<String> extraNotices, String tool, Instant now) {
        List<Finding> sorted = findings.stream().sorted(Report.ORDER).toList();
        Verdict verdict = Verdict.of(sorted);
        List<String> notices = new ArrayList<>(subject.notices());
        notices.addAll(extraNotices);
        return new Report(Report.SCHEMA_VERSION, tool, now, subject.source(), subject.identity(), verdict,
                summary(subject, sorted, verdict), sorted, processTree(subject, sorted), connections(subject, sorted),
                fileChanges(subject), memoryExcerpts(sorted), timeline(subject, sorted), notices);
    }

    /** A few sentences an analyst reads first: what the container is, the verdict, and the worst findings. */
    static String summary(Subject subject, List<Finding> findings, Verdict verdict) {
        Identity id = subject.identity();
        StringBuilder sb = new StringBuilder();
        String who = id == null ? "The container" : "Container " + nonNull(id.containerName(), "?")
                + (id.podName() == null ? "" : " of pod " + id.namespace() + "/" + id.podName())
                + (id.image() == null ? "" : " (image " + id.image() + ")");
        long procs = subject.processes().size();
        sb.append(who).append(": ").append(procs).append(procs == 1 ? " process, " : " processes, ")
                .append(subject.sockets().stream().filter(Sock::isConnected).count()).append(" open connection(s), ")
                .append(subject.rootfsDiff().stream().filter(DiffFile::isRegular).count()).append(" file(s) written. ");
        long serious = findings.stream().filter(f -> f.severity().atLeast(Severity.MEDIUM)).count();
        sb.append(verdict.meaning());
        if (serious > 0) {
            sb.append(" Most important: ");
            List<String> top = findings.stream().filter(f -> f.severity().atLeast(Severity.HIGH)).limit(5).map(Finding::title).toList();
            if (top.isEmpty()) top = findings.stream().limit(3).map(Finding::title).toList();
            sb.append(String.join("; ", top)).append('.');
        }
        return sb.toString();
    }

    static List<ProcessRow> processTree(Subject subject, List<Finding> findings) {
        Map<Integer, List<String>> ids = new HashMap<>();
        Map<Integer, Severity> worst = new HashMap<>();
        for (Finding f : findings) {
            for (int pid : f.pids()) {
                List<String> l = ids.computeIfAbsent(pid, k -> new ArrayList<>());
                if (!l.contains(f.id())) l.add(f.id());
                worst.merge(pid, f.severity(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        Map<Integer, List<Proc>> children = new LinkedHashMap<>();
        Set<Integer> pids = new LinkedHashSet<>();
        for (Proc p : subject.processes()) pids.add(p.pid());
        List<Proc> roots = new ArrayList<>();
        for (Proc p : subject.processes()) {
            if (pids.contains(p.ppid()) && p.ppid() != p.pid()) children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            else roots.add(p);
        }
        List<ProcessRow> rows = new ArrayList<>();
        roots.sort(Comparator.comparingInt(Proc::pid));
        for (Proc r : roots) walk(r, 0, children, ids, worst, findings, rows);
        return rows;
    }

    private static void walk(Proc p, int depth, Map<Integer, List<Proc>> children, Map<Integer, List<String>> ids,
                             Map<Integer, Severity> worst, List<Finding> findings, List<ProcessRow> rows) {
        String exe = p.exe() == null ? null : p.exe() + (p.exeDeleted() ? " (deleted)" : "");
        rows.add(new ProcessRow(p.pid(), p.ppid(), depth, p.comm(), Text.excerpt(p.commandLine(), 300), exe, p.state(), p.uid(),
                ids.getOrDefault(p.pid(), List.of()), worst.get(p.pid()), p.cwd(), files(p, findings)));
        List<Proc> kids = new ArrayList<>(children.getOrDefault(p.pid(), List.of()));
        kids.sort(Comparator.comparingInt(Proc::pid));
        for (Proc k : kids) walk(k, depth + 1, children, ids, worst, findings, rows);
    }

    /**
     * The process's descriptors in fd order, each with the findings that name it: evidence of this
     * process that gives its fd, or its path (a deleted file, a memfd, a dropped script held open).
     */
    static List<FileRow> files(Proc p, List<Finding> findings) {
        List<FileRow> rows = new ArrayList<>();
        for (OpenFd f : p.fds().stream().sorted(Comparator.comparingInt(OpenFd::fd)).toList()) {
            String bare = f.target() != null && f.target().endsWith(" (deleted)")
                    ? f.target().substring(0, f.target().length() - " (deleted)".length()) : f.target();
            List<String> about = new ArrayList<>();
            for (Finding finding : findings) {
                boolean names = finding.evidence().stream().anyMatch(e -> e.pid() != null && e.pid() == p.pid()
                        && (e.fd() != null ? e.fd() == f.fd() : e.path() != null && (e.path().equals(f.target()) || e.path().equals(bare))));
                if (names && !about.contains(finding.id())) about.add(finding.id());
            }
            rows.add(new FileRow(f.fd(), f.kind(), f.target(), f.deleted(), about));
        }
        return rows;
    }

    static List<ConnectionRow> connections(Subject subject, List<Finding> findings) {
        List<ConnectionRow> rows = new ArrayList<>();
        for (Sock s : subject.sockets()) {
            if (!s.isInet() && s.unixPath() == null) continue;
            Integer fd = null;
            if (!s.pids().isEmpty()) {
                fd = subject.process(s.pids().get(0)).flatMap(p -> p.fds().stream()
                        .filter(f -> f.socketId() != null && f.socketId() == s.id()).map(f -> f.fd()).findFirst()).orElse(null);
            }
            List<String> notes = new ArrayList<>();
            for (Finding f : findings) {
                boolean about = f.evidence().stream().anyMatch(e -> s.describe().equals(e.socket()));
                if (about && !notes.contains(f.id())) notes.add(f.id());
            }
            String queued = s.inQueue().length + s.outQueue().length == 0 ? null
                    : s.inQueue().length + " B received, " + s.outQueue().length + " B unsent";
            rows.add(new ConnectionRow(s.pids(), fd, s.protocol(), s.isInet() ? s.local() : s.unixPath(),
                    s.remote(), s.state(), queued, notes.isEmpty() ? null : String.join(", ", notes)));
        }
        // connected sockets first: they are what an analyst looks for
        rows.sort(Comparator.comparing((ConnectionRow r) -> r.remote() == null).thenComparing(r -> r.note() == null));
        return rows;
    }

    static List<FileChange> fileChanges(Subject subject) {
        List<FileChange> out = new ArrayList<>();
        for (DiffFile f : subject.rootfsDiff()) {
            out.add(new FileChange("added or changed", f.path(), f.isRegular() ? FileTypes.describe(f.head()) : f.type(),
                    f.isRegular() ? f.size() : null, f.modeString(), f.sha256(), f.modified(), f.linkTarget() == null ? null : "-> " + f.linkTarget()));
        }
        for (String d : subject.deletedFiles()) out.add(new FileChange("deleted", d, null, null, null, null, null, null));
        for (DiffFile f : subject.recovered()) {
            out.add(new FileChange("deleted-open".equals(f.origin()) || "ghost-file".equals(f.origin()) ? "deleted, still open" : f.origin(),
                    f.path(), FileTypes.describe(f.head()), f.size(), f.modeString(), f.sha256(), f.modified(),
                    "content recovered from the checkpoint (" + f.origin() + ")"));
        }
        return out;
    }

    static List<MemoryExcerpt> memoryExcerpts(List<Finding> findings) {
        List<MemoryExcerpt> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Finding f : findings) {
            for (Evidence e : f.evidence()) {
                if (!("memory".equals(e.kind()) || "socket-queue".equals(e.kind())) || e.excerpt() == null) continue;
                String key = e.pid() + "|" + e.address() + "|" + e.excerpt();
                if (!seen.add(key)) continue;
                String where = e.address() != null ? e.address() : e.socket();
                out.add(new MemoryExcerpt(e.pid() == null ? 0 : e.pid(), where, f.id(), e.excerpt()));
            }
        }
        return out;
    }

    static List<TimelineEvent> timeline(Subject subject, List<Finding> findings) {
        List<TimelineEvent> out = new ArrayList<>();
        Identity id = subject.identity();
        if (id != null && id.createdAt() != null) {
            out.add(new TimelineEvent(id.createdAt(), "Container created", "Container " + nonNull(id.containerName(), "") + " created"
                    + (id.image() == null ? "" : " from " + id.image()), "config.dump", null, null));
        }
        for (DiffFile f : subject.rootfsDiff()) {
            if (f.modified() == null || !f.isRegular()) continue;
            out.add(new TimelineEvent(f.modified(), "File modified", "File written: " + f.path() + " (" + FileTypes.describe(f.head()) + ")",
                    "rootfs-diff", f.path(), findingFor(findings, f.path())));
        }
        for (DiffFile f : subject.recovered()) {
            if (f.modified() == null) continue;
            out.add(new TimelineEvent(f.modified(), "File modified", "Deleted-but-open file last written: " + f.path(),
                    f.origin(), f.path(), findingFor(findings, f.path())));
        }
        int n = 0;
        for (String line : subject.logLines()) {
            if (n >= 200) break;
            int sp = line.indexOf(' ');
            if (sp < 20) continue;
            try {
                Instant t = java.time.OffsetDateTime.parse(line.substring(0, sp)).toInstant();
                String rest = line.substring(sp + 1);
                // k8s-file / CRI log lines: "<time> <stream> <P|F> <message>"
                String[] parts = rest.split(" ", 3);
                String msg = parts.length == 3 ? parts[0] + ": " + parts[2] : rest;
                out.add(new TimelineEvent(t, "Log line", Text.excerpt(msg, 300), "container log", null, null));
                n++;
            } catch (java.time.format.DateTimeParseException e) {
                // not a timestamped line: nothing to place on the timeline
            }
        }
        if (id != null && id.checkpointedAt() != null) {
            out.add(new TimelineEvent(id.checkpointedAt(), "Checkpoint taken", "Checkpoint taken: processes frozen", "checkpoint", null, null));
        }
        return out;
    }

    private static String findingFor(List<Finding> findings, String path) {
        for (Finding f : findings) {
            for (Evidence e : f.evidence()) if (path.equals(e.path())) return f.id();
        }
        return null;
    }

    private static String nonNull(String s, String dflt) {
        return s == null ? dflt : s;
    }
}
