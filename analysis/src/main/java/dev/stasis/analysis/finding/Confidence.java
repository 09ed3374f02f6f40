package dev.stasis.analysis.finding;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How sure the detector is that the finding is what its title says. High means
 * the evidence alone proves it (a shell whose stdio is a TCP socket); low means
 * it is a lead worth a look (a secret-looking variable name).
 */
public enum Confidence {
    LOW, MEDIUM, HIGH;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Confidence parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown confidence '" + s + "' (expected low, medium or high)");
        }
    }
}
