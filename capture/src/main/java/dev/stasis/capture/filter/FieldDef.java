package dev.stasis.capture.filter;

/**
 * One field of the registry: its name, value type, whether it takes an argument
 * ({@code proc.aname[2]}, {@code evt.arg.name}) and how to read it from an event.
 */
public record FieldDef(String name, FieldType type, ArgPolicy arg, boolean filterOnly, String description,
        Extractor extractor) {

    /** How a field takes its argument. */
    public enum ArgPolicy {
        /** No argument. */
        NONE,
        /** An optional {@code [arg]}. */
        OPTIONAL,
        /** A required argument, as {@code [arg]} or as a dotted suffix {@code name.arg}. */
        REQUIRED
    }

    /** Reads the field's value from an event; null when the event has no value for it. */
    @FunctionalInterface
    public interface Extractor {
        Object extract(EventView event, String arg);
    }
}
