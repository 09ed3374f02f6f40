package dev.stasis.analysis.finding;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How sure the detector is that the finding is what its title says. High means
 * the evidence alone proves it (a shell whose stdio is a TCP socket); low means
 * it is a lead worth a look (a secret-looking variable name).
 */
public enum Confidence {
    LOW, MEDIUM, HIGH;

    @JsonValue
    public String label() {
        return Labels.label(this);
    }

    @JsonCreator
    public static Confidence parse(String s) {
        return Labels.parse(Confidence.class, s, "confidence");
    }
}
