package dev.stasis.analysis.render;

import dev.stasis.analysis.AnalysisException;
import dev.stasis.analysis.report.Report;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/** The report formats and writing a report to a file chosen by its extension. */
public enum ReportFormat {
    TEXT, JSON, MD, HTML, TIMELINE;

    /** From a file name: .html/.htm, .json, .md/.markdown, .jsonl (Timesketch timeline), .txt. */
    public static ReportFormat forPath(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".html") || n.endsWith(".htm")) return HTML;
        if (n.endsWith(".jsonl")) return TIMELINE;
        if (n.endsWith(".json")) return JSON;
        if (n.endsWith(".md") || n.endsWith(".markdown")) return MD;
        if (n.endsWith(".txt")) return TEXT;
        throw new AnalysisException("cannot tell the report format from '" + p.getFileName()
                + "': use .html, .json, .md, .jsonl (Timesketch timeline) or .txt");
    }

    public static ReportFormat parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "text", "txt" -> TEXT;
            case "json" -> JSON;
            case "md", "markdown" -> MD;
            case "html" -> HTML;
            case "timeline", "jsonl", "timesketch" -> TIMELINE;
            default -> throw new IllegalArgumentException("unknown format '" + s + "' (text, json, md, html, timeline)");
        };
    }

    public void write(Report r, OutputStream out) throws IOException {
        switch (this) {
            case TEXT -> out.write(TextSummary.render(r, false, true).getBytes(StandardCharsets.UTF_8));
            case JSON -> JsonReport.write(r, out);
            case MD -> out.write(MarkdownReport.render(r).getBytes(StandardCharsets.UTF_8));
            case HTML -> out.write(HtmlReport.render(r).getBytes(StandardCharsets.UTF_8));
            case TIMELINE -> TimesketchTimeline.write(r, out);
        }
        out.flush();
    }

    /**
     * Writes to a temporary file beside the target, then moves it into place, so
     * an interrupted run never leaves half a report under the real name.
     */
    public void writeTo(Report r, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new AnalysisException("report directory does not exist: " + dir);
        if (Files.isDirectory(target)) throw new AnalysisException("report path is a directory: " + target);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".stasis-report-", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                write(r, out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AnalysisException("cannot write report " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temp file name starts with a dot and says what it is
                }
            }
        }
    }
}
