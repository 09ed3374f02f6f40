package dev.stasis.response.alert;

import java.util.Locale;

/** Falco's priorities, most severe first (Falco's own order). */
public enum Priority {
    EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL, DEBUG;

    /** True when this priority is at least as severe as {@code min}. */
    public boolean atLeast(Priority min) {
        return ordinal() <= min.ordinal();
    }

    /** Parses Falco's spelling, case-insensitive; "info" is Falco's short form of Informational. */
    public static Priority parse(String s) {
        if (s == null) throw new AlertException("priority is missing");
        String p = s.strip().toUpperCase(Locale.ROOT);
        if (p.equals("INFO")) return INFORMATIONAL;
        if (p.equals("WARN")) return WARNING;
        try {
            return valueOf(p);
        } catch (IllegalArgumentException e) {
            throw new AlertException("unknown priority '" + s + "' (Falco's are Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug)");
        }
    }

    /** Falco's spelling: capitalised. */
    public String falcoName() {
        String n = name();
        return n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT);
    }
}
