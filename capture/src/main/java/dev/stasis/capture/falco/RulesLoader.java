package dev.stasis.capture.falco;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stasis.capture.filter.Expr;
import dev.stasis.capture.filter.FieldRegistry;
import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.FilterException;
import dev.stasis.capture.filter.FilterParser;
import dev.stasis.capture.filter.OutputFormat;
import dev.stasis.vocabulary.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Loads Falco rules files (lists, macros, rules; {@code append} and
 * {@code override}; exceptions) and compiles the rules for replay. Files are
 * read in order and later items change earlier ones, as in Falco. A rule that
 * cannot run here is skipped with its reason; a file that is not a rules file
 * at all is a {@link RulesException}.
 */
public final class RulesLoader {
    /** Rules files larger than this are refused: a rules file is text a person wrote. */
    private static final long MAX_FILE_BYTES = 64L << 20;

    private final FieldRegistry registry;
    private final Predicate<String> knownEventType;
    private final ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().loaderOptions(loaderOptions()).build());

    /** Rules files are untrusted input: few aliases (no "billion laughs"), bounded size. */
    private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
        org.yaml.snakeyaml.LoaderOptions o = new org.yaml.snakeyaml.LoaderOptions();
        o.setMaxAliasesForCollections(100);
        o.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, MAX_FILE_BYTES));
        o.setNestingDepthLimit(100);
        return o;
    }

    private final Map<String, List<String>> lists = new LinkedHashMap<>();
    private final Map<String, String> macros = new LinkedHashMap<>();
    private final Map<String, RuleDef> rules = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    /** @param knownEventType whether stasis's event table has an event of that name (evt.type values are checked) */
    public RulesLoader(FieldRegistry registry, Predicate<String> knownEventType) {
        this.registry = registry;
        this.knownEventType = knownEventType;
    }

    public RulesLoader() {
        this(FieldRegistry.standard(), t -> true);
    }

    /** Reads one rules file into this loader; call {@link #compile()} after the last one. */
    public RulesLoader add(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) throw new RulesException(file + ": too large for a rules file");
            return add(file.toString(), Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new RulesException("no such rules file: " + file);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new RulesException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public RulesLoader add(String origin, String content) {
        JsonNode root;
        try {
            root = yaml.readTree(content);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new RulesException(origin + ": not valid YAML: " + msg, e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) return this;
        if (!root.isArray()) throw new RulesException(origin + ": a rules file must be a YAML list of items");
        int index = 0;
        for (JsonNode item : root) {
            index++;
            String where = origin + " item " + index;
            if (!item.isObject()) throw new RulesException(where + ": expected a mapping");
            if (item.has("required_engine_version")) continue;
            if (item.has("required_plugin_versions")) {
                for (JsonNode plugin : item.get("required_plugin_versions")) {
                    String name = plugin.path("name").asText("");
                    // container.* comes from the capture itself (container events, cgroups), which is what
                    // Falco's container plugin adds: a notice for it would appear on every run and mean nothing.
                    if (!name.equals("container")) {
                        warnings.add(where + ": requires plugin '" + name + "', which stasis does not run (syscall events only)");
                    }
                }
            } else if (item.has("list")) {
                addList(item, where);
            } else if (item.has("macro")) {
                addMacro(item, where);
            } else if (item.has("rule")) {
                addRule(item, where);
            } else {
                warnings.add(where + ": unknown item ignored: " + item.fieldNames().next());
            }
        }
        return this;
    }

    // ---------------- collecting ----------------

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode n, String key) {
        JsonNode v = n.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (v.isArray()) v.forEach(x -> out.add(x.asText()));
        else out.add(v.asText());
        return out;
    }

    /** How an item changes an existing one: "append", "replace", or null (define anew). */
    private static String mode(JsonNode item, String key) {
        if (item.path("append").asBoolean(false)) return "append";
        JsonNode o = item.get("override");
        if (o != null && o.has(key)) return o.get(key).asText();
        return null;
    }

    private void addList(JsonNode item, String where) {
        String name = text(item, "list");
        List<String> items = strings(item, "items");
        String mode = mode(item, "items");
        if (mode != null && !lists.containsKey(name)) {
            warnings.add(where + ": list '" + name + "' " + mode + "s to a list that does not exist; defined instead");
            mode = null;
        }
        if ("append".equals(mode)) lists.get(name).addAll(items);
        else lists.put(name, new ArrayList<>(items));
    }

    private void addMacro(JsonNode item, String where) {
        String name = text(item, "macro");
        String cond = text(item, "condition");
        if (cond == null) throw new RulesException(where + ": macro '" + name + "' has no condition");
        String mode = mode(item, "condition");
        if (mode != null && !macros.containsKey(name)) {
            warnings.add(where + ": macro '" + name + "' " + mode + "s to a macro that does not exist; defined instead");
            mode = null;
        }
        macros.put(name, "append".equals(mode) ? macros.get(name) + " " + cond : cond);
    }

    private void addRule(JsonNode item, String where) {
        String name = text(item, "rule");
        RuleDef existing = rules.get(name);
        boolean isAppend = item.path("append").asBoolean(false);
        JsonNode override = item.get("override");
        if (isAppend || override != null) {
            if (existing == null) {
                warnings.add(where + ": rule '" + name + "' changes a rule that does not exist; ignored");
                return;
            }
            for (String key : List.of("condition", "output", "desc", "priority", "tags", "exceptions", "enabled",
                    "source")) {
                if (!item.has(key)) continue;
                String mode = isAppend ? (key.equals("condition") || key.equals("exceptions") || key.equals("output")
                        || key.equals("desc") || key.equals("tags") ? "append" : "replace")
                        : override.has(key) ? override.get(key).asText() : null;
                if (mode == null) {
                    warnings.add(where + ": rule '" + name + "' has '" + key + "' without an override mode; ignored");
                    continue;
                }
                existing.change(key, item.get(key), "append".equals(mode));
            }
            return;
        }
        if (!item.has("condition") && existing != null && item.has("enabled")) {
            // The legacy way to switch a rule on or off: the name and 'enabled' only.
            existing.enabled = item.get("enabled").asBoolean(true);
            return;
        }
        RuleDef def = new RuleDef(name, where);
        for (String key : List.of("condition", "output", "desc", "priority", "tags", "exceptions", "enabled", "source")) {
            if (item.has(key)) def.change(key, item.get(key), false);
        }
        rules.put(name, def);
    }

    /** A rule as the files define it, before compiling. */
    private static final class RuleDef {
        final String name;
        final String where;
        String condition;
        String output = "";
        String desc = "";
        String priority;
        List<String> tags = new ArrayList<>();
        List<JsonNode> exceptions = new ArrayList<>();
        boolean enabled = true;
        String source = "syscall";

        RuleDef(String name, String where) {
            this.name = name;
            this.where = where;
        }

        void change(String key, JsonNode v, boolean append) {
            switch (key) {
                case "condition" -> condition = append && condition != null ? condition + " " + v.asText() : v.asText();
                case "output" -> output = append ? output + " " + v.asText() : v.asText();
                case "desc" -> desc = append ? desc + " " + v.asText() : v.asText();
                case "priority" -> priority = v.asText();
                case "enabled" -> enabled = v.asBoolean(true);
                case "source" -> source = v.asText();
                case "tags" -> {
                    if (!append) tags = new ArrayList<>();
                    if (v.isArray()) v.forEach(t -> tags.add(t.asText()));
                }
                case "exceptions" -> {
                    if (!append) exceptions = new ArrayList<>();
                    if (v.isArray()) v.forEach(this::addException);
                }
                default -> { }
            }
        }

        /** An exception with the name of an existing one adds its values to it, as Falco's append does. */
        private void addException(JsonNode ex) {
            String exName = ex.path("name").asText("");
            for (int i = 0; i < exceptions.size(); i++) {
                JsonNode old = exceptions.get(i);
                if (old.path("name").asText("").equals(exName) && !ex.has("fields") && ex.has("values")) {
                    com.fasterxml.jackson.databind.node.ObjectNode merged = old.deepCopy();
                    com.fasterxml.jackson.databind.node.ArrayNode vals = merged.withArray("values");
                    ex.get("values").forEach(vals::add);
                    exceptions.set(i, merged);
                    return;
                }
            }
            exceptions.add(ex);
        }
    }

    // ---------------- compiling ----------------

    /** Compiles everything read so far. */
    public RuleSet compile() {
        Map<String, List<String>> resolvedLists = resolveLists();
        Map<String, Expr> macroTrees = new LinkedHashMap<>();
        Map<String, String> brokenMacros = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : macros.entrySet()) {
            try {
                macroTrees.put(m.getKey(), FilterParser.parse(ListExpander.expand(m.getValue(), resolvedLists)));
            } catch (FilterException e) {
                brokenMacros.put(m.getKey(), e.getMessage());
            }
        }
        List<Rule> ok = new ArrayList<>();
        List<SkippedRule> skipped = new ArrayList<>();
        List<String> notes = new ArrayList<>(warnings);
        for (RuleDef def : rules.values()) {
            String reason = check(def);
            if (reason != null) {
                skipped.add(new SkippedRule(def.name, reason));
                continue;
            }
            String condition = withExceptions(def);
            try {
                Expr tree = FilterParser.parse(ListExpander.expand(condition, resolvedLists));
                Set<String> used = new LinkedHashSet<>();
                collectIdentifiers(tree, macroTrees, used, new LinkedHashSet<>());
                for (String u : used) {
                    if (brokenMacros.containsKey(u))
                        throw new FilterException("macro '" + u + "' does not compile: " + brokenMacros.get(u));
                }
                Expr expanded = new MacroExpander(macroTrees).expand(tree);
                Filter filter = Filter.compile(condition, expanded, registry);
                String eventReason = unsupportedEvents(def.name, expanded, notes);
                if (eventReason != null) {
                    skipped.add(new SkippedRule(def.name, eventReason));
                    continue;
                }
                // Output fields stasis lacks print as <NA>; that matters only when the rule fires, so the
                // caller says so then (Rule.unsupportedOutputFields), not on every load.
                OutputFormat out = OutputFormat.compile(def.output, registry, true);
                ok.add(new Rule(def.name, def.desc, condition, def.output, Priority.parse(def.priority).orElseThrow(), def.tags,
                        def.source, filter, out, eventTypes(expanded)));
            } catch (FilterException e) {
                // A field's column points into whichever macro it came from: name the field only.
                boolean fromTree = e.reason().startsWith("unknown field") || e.reason().startsWith("undefined macro");
                skipped.add(new SkippedRule(def.name, fromTree ? e.reason() : e.getMessage()));
            }
        }
        return new RuleSet(ok, skipped, notes);
    }

    private String check(RuleDef def) {
        if (!def.enabled) return "disabled (enabled: false)";
        if (!"syscall".equals(def.source)) return "source '" + def.source + "' is not supported (syscall only)";
        if (def.condition == null) return "no condition";
        if (def.priority == null) return "no priority";
        if (Priority.parse(def.priority).isEmpty()) return "unknown priority '" + def.priority + "'";
        return null;
    }

    /** Lists may name lists defined before them; their items are spliced in. */
    private Map<String, List<String>> resolveLists() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> l : lists.entrySet()) {
            List<String> items = new ArrayList<>();
            for (String item : l.getValue()) {
                List<String> ref = out.get(item);
                if (ref != null) items.addAll(ref);
                else items.add(item);
            }
            out.put(l.getKey(), items);
        }
        return out;
    }

    /** Falco's exceptions: {@code (condition) and not ((f1 op v1 and f2 op v2) or ...)}. */
    private static String withExceptions(RuleDef def) {
        StringBuilder cond = new StringBuilder("(").append(def.condition).append(")");
        for (JsonNode ex : def.exceptions) {
            JsonNode fields = ex.get("fields");
            JsonNode values = ex.get("values");
            if (fields == null || values == null || !values.isArray() || values.isEmpty()) continue;
            JsonNode comps = ex.get("comps");
            String part;
            if (!fields.isArray()) {
                String comp = comps == null ? "in" : comps.asText();
                List<String> vals = new ArrayList<>();
                values.forEach(v -> vals.add(ListExpander.quote(v.asText())));
                part = "(" + fields.asText() + " " + comp + " (" + String.join(", ", vals) + "))";
            } else {
                List<String> alternatives = new ArrayList<>();
                for (JsonNode tuple : values) {
                    if (!tuple.isArray() || tuple.size() != fields.size())
                        throw new FilterException("exception '" + ex.path("name").asText() + "': fields and values lists must have equal length");
                    List<String> terms = new ArrayList<>();
                    for (int k = 0; k < fields.size(); k++) {
                        String comp = comps != null && comps.isArray() && k < comps.size() ? comps.get(k).asText() : "=";
                        JsonNode v = tuple.get(k);
                        String value;
                        if (v.isArray()) {
                            List<String> vs = new ArrayList<>();
                            v.forEach(x -> vs.add(ListExpander.quote(x.asText())));
                            value = "(" + String.join(", ", vs) + ")";
                        } else if (comp.equals("in") || comp.equals("intersects") || comp.equals("pmatch")) {
                            value = v.asText().startsWith("(") ? v.asText() : "(" + v.asText() + ")";
                        } else {
                            value = ListExpander.quote(v.asText());
                        }
                        terms.add(fields.get(k).asText() + " " + comp + " " + value);
                    }
                    alternatives.add("(" + String.join(" and ", terms) + ")");
                }
                part = "(" + String.join(" or ", alternatives) + ")";
            }
            cond.append(" and not ").append(part);
        }
        return cond.toString();
    }

    private static void collectIdentifiers(Expr e, Map<String, Expr> macros, Set<String> out, Set<String> seen) {
        switch (e) {
            case Expr.And a -> a.children().forEach(c -> collectIdentifiers(c, macros, out, seen));
            case Expr.Or o -> o.children().forEach(c -> collectIdentifiers(c, macros, out, seen));
            case Expr.Not n -> collectIdentifiers(n.child(), macros, out, seen);
            case Expr.Identifier id -> {
                out.add(id.name());
                Expr body = macros.get(id.name());
                if (body != null && seen.add(id.name())) collectIdentifiers(body, macros, out, seen);
            }
            default -> { }
        }
    }

    /** A rule whose every evt.type value names an event stasis does not know can never fire: say so. */
    private String unsupportedEvents(String rule, Expr e, List<String> notes) {
        Set<String> types = new LinkedHashSet<>();
        collectEventTypes(e, types);
        if (types.isEmpty()) return null;
        List<String> unknown = types.stream().filter(t -> !knownEventType.test(t)).toList();
        if (unknown.size() == types.size()) return "event types not supported: " + String.join(", ", unknown);
        if (!unknown.isEmpty()) notes.add("rule '" + rule + "': event types not supported, never matched: " + String.join(", ", unknown));
        return null;
    }

    /**
     * The event types a condition can match: {@code evt.type = x} and {@code evt.type in (...)}
     * restrict, {@code and} intersects, {@code or} unites; anything else (including {@code not})
     * restricts nothing (null).
     */
    static Set<String> eventTypes(Expr e) {
        return switch (e) {
            case Expr.And a -> {
                Set<String> acc = null;
                for (Expr c : a.children()) {
                    Set<String> t = eventTypes(c);
                    if (t == null) continue;
                    if (acc == null) acc = new LinkedHashSet<>(t);
                    else acc.retainAll(t);
                }
                yield acc;
            }
            case Expr.Or o -> {
                Set<String> acc = new LinkedHashSet<>();
                for (Expr c : o.children()) {
                    Set<String> t = eventTypes(c);
                    if (t == null) yield null;
                    acc.addAll(t);
                }
                yield acc;
            }
            case Expr.Compare c when c.lhs() instanceof Expr.Field f && f.name().equals("evt.type") && f.arg() == null
                    && (c.op().equals("=") || c.op().equals("==") || c.op().equals("in") || c.op().equals("intersects")) -> {
                Set<String> t = new LinkedHashSet<>();
                switch (c.rhs()) {
                    case Expr.Literal l -> t.add(l.text());
                    case Expr.ListValue l -> l.items().forEach(i -> t.add(i.text()));
                    default -> {
                        yield null;
                    }
                }
                yield t;
            }
            default -> null;
        };
    }

    private static void collectEventTypes(Expr e, Set<String> out) {
        switch (e) {
            case Expr.And a -> a.children().forEach(c -> collectEventTypes(c, out));
            case Expr.Or o -> o.children().forEach(c -> collectEventTypes(c, out));
            case Expr.Not n -> { }
            case Expr.Compare c when c.lhs() instanceof Expr.Field f && f.name().equals("evt.type")
                    && (c.op().equals("=") || c.op().equals("==") || c.op().equals("in")) -> {
                switch (c.rhs()) {
                    case Expr.Literal l -> out.add(l.text());
                    case Expr.ListValue l -> l.items().forEach(i -> out.add(i.text()));
                    default -> { }
                }
            }
            default -> { }
        }
    }
}
