package dev.stasis.capture.filter;

/** A registry field with its argument, ready to read values from events. */
public record BoundField(FieldDef def, String arg) {
    public Object extract(EventView event) {
        return def.extractor().extract(event, arg);
    }

    public FieldType type() {
        return def.type();
    }

    /** The field as written in a filter or an output format. */
    public String text() {
        if (arg == null) return def.name();
        return def.name() + "[" + arg + "]";
    }
}
