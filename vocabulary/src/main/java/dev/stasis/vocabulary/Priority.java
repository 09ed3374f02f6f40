package dev.stasis.vocabulary;

import java.util.Locale;
import java.util.Optional;

/**
 * A Falco rule's priority, most severe first (Falco's own order). Parsed and printed
 * the way Falco does it (userspace/engine/falco_common.cpp, parse_priority and
 * priority_names), so that a rules file or an alert stasis accepts is one Falco accepts.
 */
public enum Priority {
    EMERGENCY("Emergency"), ALERT("Alert"), CRITICAL("Critical"), ERROR("Error"), WARNING("Warning"),
    NOTICE("Notice"), INFORMATIONAL("Informational"), DEBUG("Debug");

    private final String falcoName;

    Priority(String falcoName) {
        this.falcoName = falcoName;
    }

    /** As Falco prints it in alerts and its JSON output: {@code Critical}. */
    public String falcoName() {
        return falcoName;
    }

    /** True when this priority is at least as severe as {@code min}. */
    public boolean atLeast(Priority min) {
        return ordinal() <= min.ordinal();
    }

    /**
     * Falco's spellings: a priority's name in any case, and {@code info} (any case) for
     * Informational, which Falco keeps for legacy rules. Nothing else: not {@code warn},
     * not surrounding blanks, which Falco rejects as unknown priorities.
     */
    public static Optional<Priority> parse(String text) {
        // strcasecmp folds ASCII only: Java's case mapping would also take 'ınfo' (dotless i)
        if (text == null || !text.chars().allMatch(c -> c < 0x80)) return Optional.empty();
        String t = text.toUpperCase(Locale.ROOT);
        if (t.equals("INFO")) return Optional.of(INFORMATIONAL);
        for (Priority p : values()) {
            if (p.name().equals(t)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
