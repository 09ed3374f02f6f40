package dev.stasis.capture.falco;

import java.util.Locale;

/** Falco rule priorities, most severe first, with the spelling Falco's JSON alerts use. */
public enum Priority {
    EMERGENCY("Emergency"), ALERT("Alert"), CRITICAL("Critical"), ERROR("Error"), WARNING("Warning"),
    NOTICE("Notice"), INFORMATIONAL("Informational"), DEBUG("Debug");

    private final String display;

    Priority(String display) {
        this.display = display;
    }

    /** As Falco prints it: {@code Critical}. */
    public String display() {
        return display;
    }

    /** Parses a rules file's priority case-insensitively (also {@code info}); null if unknown. */
    public static Priority parse(String text) {
        if (text == null) return null;
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.equals("INFO")) return INFORMATIONAL;
        for (Priority p : values()) if (p.name().equals(t)) return p;
        return null;
    }
}
