package dev.stasis.analysis.render;

import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.report.ConnectionRow;
import dev.stasis.analysis.report.FileRow;
import dev.stasis.analysis.report.Identity;
import dev.stasis.analysis.report.ProcessRow;
import dev.stasis.analysis.report.Report;
import java.util.Locale;

/**
 * The terminal summary `stasis analyze` prints by default: verdict first, then
 * the findings worst first with their key evidence, then the process tree with
 * the findings marked and the live connections. ANSI colour only when asked
 * (the CLI asks when stdout is a terminal).
 */
public final class TextSummary {
    private final boolean color;
    private final StringBuilder out = new StringBuilder();

    private TextSummary(boolean color) {
        this.color = color;
    }

    public static String render(Report r, boolean color, boolean verbose) {
        return new TextSummary(color).build(r, verbose);
    }

    private String build(Report r, boolean verbose) {
        Identity id = r.container();
        if (id != null) {
            line(bold("Container ") + nz(id.containerName()) + id.kubernetesSuffix() + (id.podName() == null ? "" : "  pod " + nz(id.namespace()) + "/" + id.podName())
                    + (id.image() == null ? "" : "  image " + id.image()));
            StringBuilder l2 = new StringBuilder();
            if (id.engine() != null) l2.append("engine ").append(id.engine()).append("  ");
            if (id.node() != null) l2.append("node ").append(id.node()).append("  ");
            if (!id.addresses().isEmpty()) l2.append("ip ").append(String.join(",", id.addresses())).append("  ");
            if (id.createdAt() != null) l2.append("created ").append(id.createdAt()).append("  ");
            if (id.checkpointedAt() != null) l2.append("checkpointed ").append(id.checkpointedAt());
            if (!l2.isEmpty()) line(dim(l2.toString().strip()));
        }
        var c = r.counts();
        String verdictColor = switch (r.verdict()) {
            case COMPROMISED -> "1;97;41";
            case SUSPICIOUS -> "1;30;43";
            case CLEAN -> "1;97;42";
        };
        line("");
        line(ansi(verdictColor, " " + r.verdict().title().toUpperCase(Locale.ROOT) + " ") + "  "
                + sev(Severity.CRITICAL, c.get(Severity.CRITICAL) + " critical") + ", "
                + sev(Severity.HIGH, c.get(Severity.HIGH) + " high") + ", "
                + sev(Severity.MEDIUM, c.get(Severity.MEDIUM) + " medium") + ", "
                + c.get(Severity.LOW) + " low, " + c.get(Severity.INFO) + " info");
        line(wrap(r.summary(), 100, ""));
        line("");
        if (!r.findings().isEmpty()) line(bold("Findings"));
        for (Finding f : r.findings()) {
            if (!verbose && f.severity() == Severity.INFO) continue;
            line(" " + sev(f.severity(), pad(f.severity().label().toUpperCase(Locale.ROOT), 8)) + " " + dim(pad(f.id(), 17)) + " " + f.title());
            int shown = 0;
            for (Evidence e : f.evidence()) {
                if (!verbose && shown++ >= 3) {
                    // the text summary is the only report unless -o was given: name what shows the rest
                    line(dim("                            … " + (f.evidence().size() - 3) + " more (analyze -v lists them; -o report.html keeps them)"));
                    break;
                }
                line(dim("                            " + clip(e.describe(), 110)));
            }
            if (!f.techniques().isEmpty()) line(dim("                            ATT&CK " + String.join(", ", f.techniques())));
        }
        if (!r.findings().isEmpty()) line("");
        // Open files and sockets are listed under the process that holds them, as checkpointctl nests
        // them, so the reader does not match pids between two sections; a socket shared after fork is
        // under each holder. Pipes, anonymous inodes, /dev/null, listening and unconnected sockets only
        // with -v: every process of a container holds the same inherited pipes and /dev/null, and they
        // hide what stands out.
        line(bold("Processes") + dim(verbose ? "  (open files and sockets under their process)"
                : "  (open files and sockets under their process; pipes, /dev/null and listening sockets with -v)"));
        java.util.Set<Integer> listed = new java.util.HashSet<>();
        for (ProcessRow p : r.processes()) {
            String mark = p.worst() == null ? "" : "  " + sev(p.worst(), "◀ " + String.join(", ", p.findingIds()));
            String cmd = p.cmdline() == null || p.cmdline().isEmpty() || p.cmdline().equals(p.comm()) ? "" : dim("  " + clip(p.cmdline(), 70));
            String state = "alive".equals(p.state()) ? "" : dim(" (" + p.state() + ")");
            String indent = " " + "  ".repeat(p.depth());
            line(indent + pad(String.valueOf(p.pid()), 6) + p.comm() + state + cmd + mark);
            listed.add(p.pid());
            if (p.cwd() != null && (verbose || !"/".equals(p.cwd()))) line(indent + "      " + dim("cwd    ") + p.cwd());
            for (FileRow f : p.files()) {
                if (!f.isSocket() && (verbose || shownByDefault(f))) line(indent + "      " + file(f));
            }
            for (ConnectionRow cr : r.connections()) {
                if ((cr.remote() != null || verbose) && cr.pids().contains(p.pid())) line(indent + "      " + socket(cr, false));
            }
        }
        boolean orphans = false;
        for (ConnectionRow cr : r.connections()) {
            if ((cr.remote() == null && !verbose) || cr.pids().stream().anyMatch(listed::contains)) continue;
            if (!orphans) {
                line("");
                line(bold("Sockets of no listed process"));
                orphans = true;
            }
            line(" " + socket(cr, true));
        }
        if (!r.notices().isEmpty()) {
            line("");
            for (String n : r.notices()) line(dim("note: " + n));
        }
        return out.toString();
    }

    /** Files with a path (regular but /dev/null, memfd, FIFO, terminal) and anything a finding names. */
    private static boolean shownByDefault(FileRow f) {
        return !f.findingIds().isEmpty() || f.deleted() || switch (f.kind()) {
            case "file" -> !"/dev/null".equals(f.path());
            case "memfd", "fifo", "tty" -> true;
            default -> false;
        };
    }

    private String file(FileRow f) {
        return dim(pad(f.kind(), 6) + " ") + nz(f.path()) + dim(" fd " + f.fd())
                + (f.findingIds().isEmpty() ? "" : "  " + sev(Severity.HIGH, String.join(", ", f.findingIds())));
    }

    private String socket(ConnectionRow cr, boolean withPids) {
        String peer = cr.remote() == null ? "" : " -> " + pad(cr.remote(), 22);
        return dim("socket ") + pad(cr.protocol(), 5) + " " + (cr.remote() == null ? cr.local() : pad(cr.local(), 22)) + peer
                + (cr.state() == null ? "" : " " + cr.state()) + (cr.fd() == null ? "" : dim(" fd " + cr.fd()))
                + (withPids ? " pid " + cr.pids() : "") + (cr.note() == null ? "" : "  " + sev(Severity.HIGH, cr.note()));
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    private String sev(Severity s, String text) {
        return switch (s) {
            case CRITICAL -> ansi("1;31", text);
            case HIGH -> ansi("31", text);
            case MEDIUM -> ansi("33", text);
            case LOW -> ansi("36", text);
            case INFO -> dim(text);
        };
    }

    private String bold(String s) {
        return ansi("1", s);
    }

    private String dim(String s) {
        return ansi("2", s);
    }

    private String ansi(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    private static String pad(String s, int n) {
        s = s == null ? "" : s;
        return s.length() >= n ? s : s + " ".repeat(n - s.length());
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }

    static String wrap(String text, int width, String indent) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String w : text.split(" ")) {
            if (col > 0 && col + w.length() + 1 > width) {
                sb.append('\n').append(indent);
                col = indent.length();
            } else if (col > 0) {
                sb.append(' ');
                col++;
            }
            sb.append(w);
            col += w.length();
        }
        return sb.toString();
    }
}
