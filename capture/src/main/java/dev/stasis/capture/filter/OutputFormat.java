package dev.stasis.capture.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sysdig {@code -p} / Falco {@code output} format: text with {@code %field}
 * references ({@code %proc.name}, {@code %proc.aname[2]}, {@code %evt.arg.fd}).
 * As in sysdig, a line with a field the event lacks is not printed unless the
 * format starts with {@code *}; Falco prints such fields as {@code <NA>}.
 * Unknown fields are an error, or, with {@code lenient}, printed as {@code <NA>}
 * and listed in {@link #unknownFields()}.
 */
public final class OutputFormat {
    private sealed interface Part permits Text, Ref {}

    private record Text(String text) implements Part {}

    /** {@code sanitize}: the printed value drops unprintable characters (see SANITIZED). */
    private record Ref(String written, BoundField field, boolean sanitize) implements Part {
        Ref(String written, BoundField field) {
            this(written, field, field != null && SANITIZED.contains(field.def().name()));
        }
    }

    private final String format;
    private final boolean printPartial;
    private final Part[] parts;
    private final List<String> unknown;

    private OutputFormat(String format, boolean printPartial, List<Part> parts, List<String> unknown) {
        this.format = format;
        this.printPartial = printPartial;
        this.parts = parts.toArray(Part[]::new);
        this.unknown = unknown;
    }

    /** A sysdig {@code -p} format; unknown fields are a {@link FilterException}. */
    public static OutputFormat compile(String format) {
        return compile(format, FieldRegistry.standard(), false);
    }

    public static OutputFormat compile(String format, FieldRegistry registry, boolean lenient) {
        boolean partial = format.startsWith("*");
        String f = partial ? format.substring(1) : format;
        List<Part> parts = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < f.length()) {
            char c = f.charAt(i);
            if (c != '%') {
                text.append(c);
                i++;
                continue;
            }
            if (i + 1 < f.length() && f.charAt(i + 1) == '%') {
                text.append('%');
                i += 2;
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < f.length() && (Character.isLetterOrDigit(f.charAt(end)) || f.charAt(end) == '_'
                    || f.charAt(end) == '.')) end++;
            while (end > start && f.charAt(end - 1) == '.') end--;
            String name = f.substring(start, end);
            String arg = null;
            int after = end;
            if (after < f.length() && f.charAt(after) == '[') {
                int close = f.indexOf(']', after);
                if (close > 0) {
                    arg = f.substring(after + 1, close);
                    after = close + 1;
                }
            }
            if (name.isEmpty() || name.indexOf('.') < 0) {
                text.append('%');
                i++;
                continue;
            }
            if (text.length() > 0) {
                parts.add(new Text(text.toString()));
                text.setLength(0);
            }
            String written = arg == null ? name : name + "[" + arg + "]";
            BoundField bound = null;
            try {
                bound = registry.resolve(name, arg, start + 1);
            } catch (FilterException e) {
                if (!lenient) throw new FilterException("unknown field '" + written + "' in output format", start + 1);
                unknown.add(written);
            }
            parts.add(new Ref(written, bound));
            i = after;
        }
        if (text.length() > 0) parts.add(new Text(text.toString()));
        return new OutputFormat(format, partial, List.copyOf(parts), List.copyOf(unknown));
    }

    /** The line for an event; null when a field is missing and the format has no {@code *} prefix. */
    public String format(EventView event) {
        if (parts.length == 1 && parts[0] instanceof Ref r) {
            // one field and nothing around it (-p %evt.num): its text is the line, without a copy through a builder
            Object v = value(r, event);
            if (v == null && !printPartial) return null;
            return FieldValues.format(v, r.field() == null ? FieldType.STRING : r.field().type());
        }
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Text t -> sb.append(t.text());
                case Ref r -> {
                    Object v = value(r, event);
                    if (v == null && !printPartial) return null;
                    sb.append(FieldValues.format(v, r.field() == null ? FieldType.STRING : r.field().type()));
                }
            }
        }
        return sb.toString();
    }

    /** Falco's rendering: missing fields print as {@code <NA>} and never drop the line. */
    public String formatAll(EventView event) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Text t -> sb.append(t.text());
                case Ref r -> sb.append(FieldValues.format(value(r, event),
                        r.field() == null ? FieldType.STRING : r.field().type()));
            }
        }
        return sb.toString();
    }

    /**
     * The fields of the format with their values on this event, in order of
     * first appearance, for Falco's output_fields: strings, numbers and booleans
     * as JSON would carry them, null for a missing value.
     */
    public Map<String, Object> fieldValues(EventView event) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Part p : parts) {
            if (p instanceof Ref r && !out.containsKey(r.written())) {
                Object v = value(r, event);
                out.put(r.written(), jsonValue(v, r.field() == null ? FieldType.STRING : r.field().type()));
            }
        }
        return out;
    }

    /**
     * Fields whose printed value sysdig sanitizes (libsinsp extracts them with
     * sanitize_strings for output, not for filters): a unix socket name from /proc
     * ends in a newline that filters see and output drops.
     */
    private static final java.util.Set<String> SANITIZED = java.util.Set.of("fd.name", "fd.nameraw",
            "fd.containername", "fd.directory", "fd.filename");

    private static Object value(Ref r, EventView event) {
        if (r.field() == null) return null;
        Object v = r.field().extract(event);
        if (r.sanitize() && v instanceof String s) {
            return dev.stasis.capture.state.Paths.sanitize(s);
        }
        return v;
    }

    private static Object jsonValue(Object v, FieldType type) {
        if (v == null) return null;
        if (v instanceof AnyOf any) v = any.values().isEmpty() ? null : any.values().get(0);
        if (v instanceof Long l) return type == FieldType.UINT && l < 0 ? Long.toUnsignedString(l) : l;
        if (v instanceof Boolean b) return b;
        return FieldValues.format(v, type);
    }

    public List<String> unknownFields() {
        return unknown;
    }

    public String text() {
        return format;
    }
}
