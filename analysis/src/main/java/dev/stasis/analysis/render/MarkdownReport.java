package dev.stasis.analysis.render;

import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.finding.Techniques;
import dev.stasis.analysis.report.ConnectionRow;
import dev.stasis.analysis.report.FileChange;
import dev.stasis.analysis.report.Identity;
import dev.stasis.analysis.report.MemoryExcerpt;
import dev.stasis.analysis.report.ProcessRow;
import dev.stasis.analysis.report.Report;
import dev.stasis.analysis.report.TimelineEvent;
import java.util.List;

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
        }
        md.append("```\n\n");

        md.append("## Connections\n\n");
        if (r.connections().isEmpty()) md.append("No sockets.\n\n");
        else {
            md.append("| pid | fd | proto | local | remote | state | notes |\n|---|---|---|---|---|---|---|\n");
            for (ConnectionRow cr : r.connections()) {
                md.append("| ").append(cr.pids().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")).append(" | ")
                        .append(cr.fd() == null ? "" : cr.fd()).append(" | ").append(cell(cr.protocol())).append(" | ")
                        .append(cell(cr.local())).append(" | ").append(cell(cr.remote())).append(" | ").append(cell(cr.state()))
                        .append(" | ").append(cell(join(cr.note(), cr.queued()))).append(" |\n");
            }
            md.append('\n');
        }

        md.append("## File changes\n\n");
        if (r.fileChanges().isEmpty()) md.append("None.\n\n");
        else {
            md.append("| change | path | type | size | mode | sha256 |\n|---|---|---|---|---|---|\n");
            for (FileChange f : r.fileChanges()) {
                md.append("| ").append(cell(f.change())).append(" | `").append(tick(f.path())).append("` | ").append(cell(f.type()))
                        .append(" | ").append(f.size() == null ? "" : f.size()).append(" | ").append(cell(f.mode())).append(" | ")
                        .append(f.sha256() == null ? "" : "`" + f.sha256() + "`").append(" |\n");
            }
            md.append('\n');
        }

        if (!r.memoryExcerpts().isEmpty()) {
            md.append("## Memory excerpts\n\n| pid | address | finding | text |\n|---|---|---|---|\n");
            for (MemoryExcerpt m : r.memoryExcerpts()) {
                md.append("| ").append(m.pid()).append(" | ").append(cell(m.address())).append(" | ").append(m.label())
                        .append(" | `").append(tick(m.text())).append("` |\n");
            }
            md.append('\n');
        }

        md.append("## Timeline (UTC)\n\n");
        if (r.timeline().isEmpty()) md.append("No dated events.\n\n");
        else {
            md.append("| time | what | event |\n|---|---|---|\n");
            for (TimelineEvent e : r.timeline()) {
                md.append("| ").append(e.time()).append(" | ").append(cell(e.timestampDesc())).append(" | ").append(cell(e.message()))
                        .append(e.findingId() == null ? "" : " (" + e.findingId() + ")").append(" |\n");
            }
            md.append('\n');
        }
        if (!r.notices().isEmpty()) {
            md.append("## Notices\n\n");
            for (String n : r.notices()) md.append("- ").append(cell(n)).append('\n');
            md.append('\n');
        }
        md.append("---\nGenerated by ").append(r.tool()).append(" at ").append(r.generatedAt()).append(" (report schema ")
                .append(r.schemaVersion()).append(").\n");
        return md.toString();
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
