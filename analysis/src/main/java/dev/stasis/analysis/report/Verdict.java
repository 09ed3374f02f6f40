package dev.stasis.analysis.report;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import java.util.List;
import java.util.Locale;

/** The one-word answer at the top of a report. */
public enum Verdict {
    /** At least one high or critical finding with high confidence: treat the container as breached. */
    COMPROMISED("Compromised", "Evidence of an active compromise: treat the workload and its credentials as breached."),
    /** Something a responder should look at, but nothing proves a compromise on its own. */
    SUSPICIOUS("Suspicious", "Findings that need a responder's judgement; nothing on its own proves a compromise."),
    /** Nothing above low severity. */
    CLEAN("No compromise found", "Nothing above low severity: no sign of an attack in this checkpoint.");

    private final String title;
    private final String meaning;

    Verdict(String title, String meaning) {
        this.title = title;
        this.meaning = meaning;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String title() {
        return title;
    }

    public String meaning() {
        return meaning;
    }

    /** The verdict the findings support. */
    public static Verdict of(List<Finding> findings) {
        boolean proven = findings.stream().anyMatch(f -> f.severity().atLeast(Severity.HIGH) && f.confidence() == Confidence.HIGH);
        if (proven) return COMPROMISED;
        boolean notable = findings.stream().anyMatch(f -> f.severity().atLeast(Severity.MEDIUM));
        return notable ? SUSPICIOUS : CLEAN;
    }
}
