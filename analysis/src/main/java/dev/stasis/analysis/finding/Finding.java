package dev.stasis.analysis.finding;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One conclusion of the analysis, with the facts that support it.
 *
 * @param id         stable identifier, e.g. {@code STASIS-PROC-001} (built-in) or a user rule's id
 * @param title      one line naming what was found, with the specifics (process, address)
 * @param severity   how bad it is if true
 * @param confidence how sure the detector is
 * @param techniques MITRE ATT&CK technique ids, e.g. {@code T1036.004}
 * @param evidence   the facts, each pointing into the checkpoint
 * @param why        one or two sentences on why an analyst should care
 * @param source     what produced it: {@code builtin}, {@code rule:<file>}, {@code yara:<file>}, {@code intel}
 */
public record Finding(String id, String title, Severity severity, Confidence confidence, List<String> techniques,
                      List<Evidence> evidence, String why, String source) {

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(confidence, "confidence");
        techniques = List.copyOf(techniques == null ? List.of() : techniques);
        evidence = List.copyOf(evidence == null ? List.of() : evidence);
        source = source == null ? "builtin" : source;
    }

    /** The process ids this finding points at, for marking the process tree. */
    public Set<Integer> pids() {
        Set<Integer> pids = new TreeSet<>();
        for (Evidence e : evidence) if (e.pid() != null) pids.add(e.pid());
        return pids;
    }

    public Finding withSeverity(Severity newSeverity, String extraWhy) {
        String w = extraWhy == null ? why : (why == null ? extraWhy : why + " " + extraWhy);
        return new Finding(id, title, newSeverity, confidence, techniques, evidence, w, source);
    }

    public static Builder builder(String id, String title) {
        return new Builder(id, title);
    }

    /** Detectors build findings step by step; the builder keeps that readable. */
    public static final class Builder {
        private final String id;
        private final String title;
        private Severity severity = Severity.MEDIUM;
        private Confidence confidence = Confidence.MEDIUM;
        private final java.util.ArrayList<String> techniques = new java.util.ArrayList<>();
        private final java.util.ArrayList<Evidence> evidence = new java.util.ArrayList<>();
        private String why;
        private String source = "builtin";

        private Builder(String id, String title) {
            this.id = id;
            this.title = title;
        }

        public Builder severity(Severity s) { this.severity = s; return this; }
        public Builder confidence(Confidence c) { this.confidence = c; return this; }
        public Builder techniques(String... ids) { techniques.addAll(List.of(ids)); return this; }
        public Builder evidence(Evidence e) { evidence.add(e); return this; }
        public Builder evidence(List<Evidence> es) { evidence.addAll(es); return this; }
        public Builder why(String w) { this.why = w; return this; }
        public Builder source(String s) { this.source = s; return this; }

        public Finding build() {
            return new Finding(id, title, severity, confidence, techniques, evidence, why, source);
        }
    }
}
