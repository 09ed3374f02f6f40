package dev.stasis.response.policy;

import java.util.Map;

/**
 * One action of a policy rule, with its options as written (validated per type by the loader).
 *
 * @param type    what to do
 * @param options the action's options (strings, numbers, booleans, maps)
 */
public record ActionSpec(ActionType type, Map<String, Object> options) {
    public ActionSpec {
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    public String option(String name, String dflt) {
        Object v = options.get(name);
        return v == null ? dflt : String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(String name) {
        Object v = options.get(name);
        if (v == null) return Map.of();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        ((Map<String, Object>) v).forEach((k, x) -> out.put(k, String.valueOf(x)));
        return out;
    }
}
