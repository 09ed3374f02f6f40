package dev.stasis.analysis.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of analysing one checkpoint: what the renderers turn into HTML,
 * JSON, Markdown or a timeline. Self-contained: it holds every table the report
 * shows, so rendering needs no access to the archive. Findings are kept sorted
 * by severity (worst first).
 *
 * @param schemaVersion version of the JSON layout (REPORT-SCHEMA.md)
 * @param notices       limits of this analysis an analyst should know (a tool missing, a process without memory)
 */
public record Report(String schemaVersion, String tool, Instant generatedAt, SourceInfo source, Identity container,
                     Verdict verdict, String summary, List<Finding> findings, List<ProcessRow> processes,
                     List<ConnectionRow> connections, List<FileChange> fileChanges, List<MemoryExcerpt> memoryExcerpts,
                     List<TimelineEvent> timeline, List<String> notices) {

    public static final String SCHEMA_VERSION = "1.0";

    /** Worst first, then by id, so output is stable from run to run. */
    public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity).reversed()
            .thenComparing(Finding::confidence, Comparator.reverseOrder())
            .thenComparing(Finding::id).thenComparing(Finding::title);

    public Report {
        findings = findings == null ? List.of() : findings.stream().sorted(ORDER).toList();
        processes = processes == null ? List.of() : List.copyOf(processes);
        connections = connections == null ? List.of() : List.copyOf(connections);
        fileChanges = fileChanges == null ? List.of() : List.copyOf(fileChanges);
        memoryExcerpts = memoryExcerpts == null ? List.of() : List.copyOf(memoryExcerpts);
        timeline = timeline == null ? List.of()
                : timeline.stream().sorted(Comparator.comparing(TimelineEvent::time)).toList();
        notices = notices == null ? List.of() : List.copyOf(notices);
    }

    /** Number of findings per severity, every severity present (zero when none). */
    public Map<Severity, Integer> counts() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) counts.put(s, 0);
        for (Finding f : findings) counts.merge(f.severity(), 1, Integer::sum);
        return counts;
    }

    /** The highest severity found, or null for no findings. */
    @JsonIgnore
    public Severity worst() {
        return findings.isEmpty() ? null : findings.get(0).severity();
    }
}
