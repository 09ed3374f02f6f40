package dev.stasis.capture.filter;

import dev.stasis.capture.filter.FieldDef.ArgPolicy;
import dev.stasis.capture.filter.FieldDef.Extractor;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields a filter or an output format may name. Lookups accept the three
 * spellings libsinsp does: {@code name}, {@code name[arg]} and, for fields that
 * take a name argument, {@code name.arg} ({@code evt.arg.fd}, {@code k8s.pod.label.app}).
 */
public final class FieldRegistry {
    private static final FieldRegistry DEFAULT = new FieldRegistry();

    static {
        StandardFields.register(DEFAULT);
    }

    private final Map<String, FieldDef> fields = new LinkedHashMap<>();

    /** The registry of the fields stasis implements. */
    public static FieldRegistry standard() {
        return DEFAULT;
    }

    void add(String name, FieldType type, ArgPolicy arg, String description, Extractor extractor) {
        fields.put(name, new FieldDef(name, type, arg, false, description, extractor));
    }

    void addFilterOnly(String name, FieldType type, String description, Extractor extractor) {
        fields.put(name, new FieldDef(name, type, ArgPolicy.NONE, true, description, extractor));
    }

    public Collection<FieldDef> all() {
        return Collections.unmodifiableCollection(fields.values());
    }

    /** Whether a field name (without argument) is known, in any spelling. */
    public boolean knows(String name) {
        try {
            resolve(name, null, 0);
            return true;
        } catch (FilterException e) {
            return false;
        }
    }

    /** Binds a field as written; throws {@link FilterException} for unknown fields or bad arguments. */
    public BoundField resolve(String name, String arg, int column) {
        FieldDef def = fields.get(name);
        // sysdig 0.29.3 reads evt.type.is only as evt.type.is.NAME: the [NAME] form is a syntax error
        if (def != null && def.name().equals("evt.type.is") && arg != null)
            throw new FilterException("filter syntax error: evt.type.is[" + arg + "]", column);
        if (def == null) {
            // name.arg spelling: the longest registered prefix that takes an argument.
            int dot = name.lastIndexOf('.');
            while (dot > 0 && def == null) {
                FieldDef candidate = fields.get(name.substring(0, dot));
                if (candidate != null && candidate.arg() != ArgPolicy.NONE && arg == null) {
                    def = candidate;
                    arg = name.substring(dot + 1);
                } else {
                    dot = name.lastIndexOf('.', dot - 1);
                }
            }
        }
        if (def == null) throw new FilterException("unknown field '" + name + "'", column);
        if (def.arg() == ArgPolicy.NONE && arg != null)
            throw new FilterException("field '" + def.name() + "' does not take an argument", column);
        if (def.arg() == ArgPolicy.REQUIRED && (arg == null || arg.isEmpty()))
            throw new FilterException("field '" + def.name() + "' requires an argument", column);
        if (def.name().equals("evt.type.is") && !arg.chars().allMatch(Character::isDigit)
                && dev.stasis.capture.scap.EventTable.get().byName(arg).isEmpty())
            throw new FilterException("unrecognized field " + name, column);
        return new BoundField(def, arg);
    }
}
