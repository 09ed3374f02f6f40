package dev.stasis.analysis.render;

import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.finding.Techniques;
import dev.stasis.analysis.report.Identity;
import dev.stasis.analysis.report.FileRow;
import dev.stasis.analysis.report.ProcessRow;
import dev.stasis.analysis.report.Report;
import java.util.List;
import java.util.function.Function;

/** The report as Markdown for tickets: GitHub-flavoured tables, no HTML. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(Report r) {
        StringBuilder md = new StringBuilder();
        Identity id = r.container();
        md.append("# stasis analysis: ").append(id == null ? "checkpoint" : cell(id.containerName()))
                .append(id != null && id.podName() != null ? " (" + cell(id.namespace()) + "/" + cell(id.podName()) + ")" : "").append("\n\n");
        md.append("**Verdict: ").append(r.verdict().title()).append("**");
        var c = r.counts();
        md.append(" — ").append(c.get(Severity.CRITICAL)).append(" critical, ").append(c.get(Severity.HIGH)).append(" high, ")
                .append(c.get(Severity.MEDIUM)).append(" medium, ").append(c.get(Severity.LOW)).append(" low, ")
                .append(c.get(Severity.INFO)).append(" info\n\n");
        md.append(r.summary()).append("\n\n");

        md.append("## Container\n\n| | |\n|---|---|\n");
        if (id != null) {
            row(md, "Pod", id.namespace() == null ? id.podName() : id.namespace() + "/" + id.podName());
            row(md, "Container", id.containerName());
            row(md, "Pod container", id.kubernetesContainer());
            row(md, "Container id", id.containerId());
            row(md, "Image", id.image());
            row(md, "Image ref", id.imageRef());
            row(md, "Engine / runtime", join(id.engine(), id.runtime()));
            row(md, "Node", id.node());
            row(md, "Hostname", id.hostname());
            row(md, "Addresses", String.join(", ", id.addresses()));
            row(md, "Created", id.createdAt() == null ? null : id.createdAt().toString());
            row(md, "Checkpointed", id.checkpointedAt() == null ? null : id.checkpointedAt().toString());
        }
        if (r.source() != null) {
            row(md, "Evidence", r.source().path());
            row(md, "Evidence SHA-256", r.source().sha256() == null ? null : "`" + r.source().sha256() + "`");
        }
        md.append('\n');

        md.append("## Findings\n\n");
        if (r.findings().isEmpty()) md.append("No findings.\n\n");
        for (Finding f : r.findings()) {
            md.append("### ").append(f.severity().label().toUpperCase(java.util.Locale.ROOT)).append(" · ").append(f.id())
                    .append(" · ").append(cell(f.title())).append("\n\n");
            md.append("*Confidence:* ").append(f.confidence().label());
            if (!f.techniques().isEmpty()) {
                md.append(" · *ATT&CK:* ").append(String.join(", ", f.techniques().stream().map(Techniques::label).toList()));
            }
            if (!"builtin".equals(f.source())) md.append(" · *Source:* ").append(f.source());
            md.append("\n\n");
            if (f.why() != null) md.append(f.why()).append("\n\n");
            for (Evidence e : f.evidence()) md.append("- ").append(e.kind()).append(": `").append(tick(e.describe())).append("`\n");
            md.append('\n');
        }

        md.append("## Process tree\n\n```\n");
        for (ProcessRow p : r.processes()) {
            md.append("  ".repeat(p.depth())).append(p.pid()).append(' ').append(p.comm());
            if (p.cmdline() != null && !p.cmdline().isEmpty() && !p.cmdline().equals(p.comm())) md.append("  [").append(p.cmdline()).append(']');
            if (!"alive".equals(p.state())) md.append(" (").append(p.state()).append(')');
            if (!p.findingIds().isEmpty()) md.append("   <-- ").append(p.worst().label()).append(": ").append(String.join(", ", p.findingIds()));
            md.append('\n');
            // open files under their process, as checkpointctl nests them (sockets are in the connection table)
            String under = "  ".repeat(p.depth() + 1);
            if (p.cwd() != null) md.append(under).append("cwd   ").append(p.cwd()).append('\n');
            for (FileRow f : p.files()) {
                if (f.isSocket()) continue;
                md.append(under).append("fd ").append(f.fd()).append(' ').append(f.kind()).append(' ').append(f.path());
                if (!f.findingIds().isEmpty()) md.append("   <-- ").append(String.join(", ", f.findingIds()));
                md.append('\n');
            }
        }
        md.append("```\n\n");

        table(md, "Connections", "No sockets.", r.connections(), List.of("pid", "fd", "proto", "local", "remote", "state", "notes"),
                cr -> List.of(cr.pids().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(""),
                        cr.fd() == null ? "" : String.valueOf(cr.fd()), cell(cr.protocol()), cell(cr.local()), cell(cr.remote()),
                        cell(cr.state()), cell(join(cr.note(), cr.queued()))));
        table(md, "File changes", "None.", r.fileChanges(), List.of("change", "path", "type", "size", "mode", "sha256"),
                f -> List.of(cell(f.change()), "`" + tick(f.path()) + "`", cell(f.type()), f.size() == null ? "" : String.valueOf(f.size()),
                        cell(f.mode()), f.sha256() == null ? "" : "`" + f.sha256() + "`"));
        if (!r.memoryExcerpts().isEmpty()) {
            table(md, "Memory excerpts", null, r.memoryExcerpts(), List.of("pid", "address", "finding", "text"),
                    m -> List.of(String.valueOf(m.pid()), cell(m.address()), String.valueOf(m.label()), "`" + tick(m.text()) + "`"));
        }
        table(md, "Timeline (UTC)", "No dated events.", r.timeline(), List.of("time", "what", "event"),
                e -> List.of(String.valueOf(e.time()), cell(e.timestampDesc()),
                        cell(e.message()) + (e.findingId() == null ? "" : " (" + e.findingId() + ")")));
        if (!r.notices().isEmpty()) {
            md.append("## Notices\n\n");
            for (String n : r.notices()) md.append("- ").append(cell(n)).append('\n');
            md.append('\n');
        }
        md.append("---\nGenerated by ").append(r.tool()).append(" at ").append(r.generatedAt()).append(" (report schema ")
                .append(r.schemaVersion()).append(").\n");
        return md.toString();
    }

    /** A section holding one table (cells already escaped), or the {@code none} line when there are no rows. */
    private static <T> void table(StringBuilder md, String title, String none, List<T> items, List<String> columns,
                                  Function<T, List<String>> cells) {
        md.append("## ").append(title).append("\n\n");
        if (items.isEmpty()) {
            md.append(none).append("\n\n");
            return;
        }
        md.append(tableRow(columns)).append("|---".repeat(columns.size())).append("|\n");
        for (T item : items) md.append(tableRow(cells.apply(item)));
        md.append('\n');
    }

    private static String tableRow(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static void row(StringBuilder md, String k, String v) {
        if (v == null || v.isBlank()) return;
        md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n");
    }

    private static String join(String a, String b) {
        return List.of(a == null ? "" : a, b == null ? "" : b).stream().filter(s -> !s.isEmpty()).reduce((x, y) -> x + "; " + y).orElse("");
    }

    /** Table-safe: no pipes or newlines. */
    static String cell(String s) {
        if (s == null) return "";
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", "").replace("<", "&lt;");
    }

    private static String tick(String s) {
        return s == null ? "" : s.replace("`", "'").replace("|", "\\|").replace("\n", " ");
    }
}
