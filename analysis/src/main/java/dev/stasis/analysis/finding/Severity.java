package dev.stasis.analysis.finding;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How bad a finding is if true, in increasing order (so {@code compareTo} ranks them). */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    @JsonValue
    public String label() {
        return Labels.label(this);
    }

    @JsonCreator
    public static Severity parse(String s) {
        return Labels.parse(Severity.class, s, "severity");
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** One step up, capped at critical: used when context makes a finding worse. */
    public Severity raise() {
        return this == CRITICAL ? CRITICAL : values()[ordinal() + 1];
    }
}
