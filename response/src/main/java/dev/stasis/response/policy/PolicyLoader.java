package dev.stasis.response.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stasis.response.alert.AlertException;
import dev.stasis.response.alert.AlertParser;
import dev.stasis.vocabulary.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads and validates a policy file. Every problem is reported with its place
 * in the file ({@code rules[1].actions[0].checkpoint: unknown option 'leave'}),
 * and unknown keys are errors: a typo in a response policy must not silently
 * disable a response.
 */
public final class PolicyLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("cooldown", "dryRun", "rules");
    private static final Set<String> RULE = Set.of("name", "match", "actions");
    private static final Set<String> MATCH = Set.of("rule", "priority", "tags", "source", "hostname", "fields");
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);

    private PolicyLoader() {}

    public static Policy load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PolicyException("no such policy file: " + file);
        } catch (IOException e) {
            throw new PolicyException("cannot read the policy file " + file + ": " + e.getMessage());
        }
        try {
            return parse(bytes);
        } catch (PolicyException e) {
            throw new PolicyException(file + ": " + e.getMessage());
        }
    }

    public static Policy parse(byte[] yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            String m = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("");
            throw new PolicyException("not valid YAML: " + m);
        }
        if (root == null || root.isMissingNode() || root.isNull()) throw new PolicyException("the policy is empty");
        if (!root.isObject()) throw new PolicyException("the policy must be a mapping with 'rules'");
        keys(root, TOP, "policy");
        Duration cooldown = DEFAULT_COOLDOWN;
        if (root.has("cooldown")) cooldown = duration(root.get("cooldown"), "cooldown");
        boolean dryRun = bool(root.get("dryRun"), "dryRun", false);
        JsonNode rules = root.path("rules");
        if (!rules.isArray() || rules.isEmpty()) throw new PolicyException("'rules' must be a non-empty list");
        List<PolicyRule> out = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule r = rule(rules.get(i), "rules[" + i + "]");
            if (!names.add(r.name())) throw new PolicyException("rules[" + i + "]: duplicate rule name '" + r.name() + "'");
            out.add(r);
        }
        return new Policy(cooldown, dryRun, List.copyOf(out));
    }

    private static PolicyRule rule(JsonNode n, String at) {
        if (!n.isObject()) throw new PolicyException(at + ": a rule must be a mapping with name, match and actions");
        keys(n, RULE, at);
        String name = n.path("name").asText("");
        if (!n.path("name").isTextual() || name.isBlank()) throw new PolicyException(at + ": 'name' is required");
        Match match = match(n.path("match"), at + ".match");
        JsonNode acts = n.path("actions");
        if (!acts.isArray() || acts.isEmpty()) throw new PolicyException(at + " (" + name + "): 'actions' must be a non-empty list");
        List<ActionSpec> actions = new ArrayList<>();
        for (int i = 0; i < acts.size(); i++) actions.add(action(acts.get(i), at + ".actions[" + i + "]"));
        int ck = indexOf(actions, ActionType.CHECKPOINT), co = indexOf(actions, ActionType.COLLECT);
        if (co >= 0 && (ck < 0 || ck > co))
            throw new PolicyException(at + " (" + name + "): 'collect' needs a 'checkpoint' action before it");
        return new PolicyRule(name, match, List.copyOf(actions));
    }

    private static int indexOf(List<ActionSpec> actions, ActionType t) {
        for (int i = 0; i < actions.size(); i++) if (actions.get(i).type() == t) return i;
        return -1;
    }

    private static Match match(JsonNode n, String at) {
        if (n.isMissingNode() || n.isNull()) throw new PolicyException(at + " is required (use 'match: {}' deliberately to match every alert)");
        if (!n.isObject()) throw new PolicyException(at + " must be a mapping");
        keys(n, MATCH, at);
        List<Glob> rules = strings(n.get("rule"), at + ".rule").stream().map(Glob::of).toList();
        Priority min = null;
        if (n.has("priority")) {
            try {
                min = AlertParser.priority(n.get("priority").asText());
            } catch (AlertException e) {
                throw new PolicyException(at + ".priority: " + e.getMessage());
            }
        }
        List<String> tags = strings(n.get("tags"), at + ".tags");
        List<String> sources = strings(n.get("source"), at + ".source");
        List<Glob> hosts = strings(n.get("hostname"), at + ".hostname").stream().map(Glob::of).toList();
        List<FieldCondition> fields = new ArrayList<>();
        JsonNode f = n.get("fields");
        if (f != null && !f.isNull()) {
            if (!f.isObject()) throw new PolicyException(at + ".fields must be a mapping of output field to condition");
            for (var e : f.properties()) fields.add(condition(e.getKey(), e.getValue(), at + ".fields." + e.getKey()));
        }
        return new Match(rules, min, tags, sources, hosts, List.copyOf(fields));
    }

    private static FieldCondition condition(String field, JsonNode v, String at) {
        if (v.isValueNode() || v.isArray()) return new FieldCondition.In(field, strings(v, at).stream().map(Glob::of).toList());
        if (!v.isObject() || v.size() != 1)
            throw new PolicyException(at + ": a condition is a value, a list, or one of {in: [...]}, {notIn: [...]}, {regex: RE}, {exists: true|false}");
        var e = v.properties().iterator().next();
        return switch (e.getKey()) {
            case "in" -> new FieldCondition.In(field, strings(e.getValue(), at + ".in").stream().map(Glob::of).toList());
            case "notIn" -> new FieldCondition.NotIn(field, strings(e.getValue(), at + ".notIn").stream().map(Glob::of).toList());
            case "exists" -> new FieldCondition.Exists(field, bool(e.getValue(), at + ".exists", true));
            case "regex" -> {
                try {
                    yield new FieldCondition.Regex(field, Pattern.compile(e.getValue().asText()));
                } catch (PatternSyntaxException x) {
                    throw new PolicyException(at + ".regex: invalid regular expression: " + x.getDescription());
                }
            }
            default -> throw new PolicyException(at + ": unknown condition '" + e.getKey() + "' (in, notIn, regex, exists)");
        };
    }

    private static ActionSpec action(JsonNode n, String at) {
        String typeName;
        JsonNode opts;
        if (n.isTextual()) {
            typeName = n.asText();
            opts = null;
        } else if (n.isObject() && n.size() == 1) {
            var e = n.properties().iterator().next();
            typeName = e.getKey();
            opts = e.getValue();
        } else {
            throw new PolicyException(at + ": an action is a name ('- isolate') or a one-key mapping ('- checkpoint: {backend: podman}')");
        }
        ActionType type = ActionType.parse(typeName);
        if (type == null) throw new PolicyException(at + ": unknown action '" + typeName + "' (checkpoint, collect, label, annotate, isolate, notify)");
        Map<String, Object> options = new LinkedHashMap<>();
        if (opts != null && !opts.isNull()) {
            if (!opts.isObject()) throw new PolicyException(at + "." + typeName + ": options must be a mapping");
            for (var e : opts.properties()) {
                if (!type.options().contains(e.getKey()))
                    throw new PolicyException(at + "." + typeName + ": unknown option '" + e.getKey() + "' (allowed: " + String.join(", ", new java.util.TreeSet<>(type.options())) + ")");
                options.put(e.getKey(), YAML.convertValue(e.getValue(), Object.class));
            }
        }
        String here = at + "." + typeName;
        switch (type) {
            case CHECKPOINT -> {
                String b = String.valueOf(options.getOrDefault("backend", "default"));
                if (!Set.of("default", "podman", "kubelet").contains(b)) throw new PolicyException(here + ".backend: unknown backend '" + b + "' (podman, kubelet)");
                if (options.containsKey("timeout") && Durations.parse(String.valueOf(options.get("timeout"))) == null)
                    throw new PolicyException(here + ".timeout: not a duration: '" + options.get("timeout") + "' (e.g. 30s)");
                if (options.containsKey("compress") && !Set.of("zstd", "gzip", "none").contains(String.valueOf(options.get("compress"))))
                    throw new PolicyException(here + ".compress: one of zstd, gzip, none");
            }
            case LABEL, ANNOTATE -> {
                String key = type == ActionType.LABEL ? "labels" : "annotations";
                if (!(options.get(key) instanceof Map<?, ?> m) || m.isEmpty()) throw new PolicyException(here + ": '" + key + "' must be a non-empty mapping");
                if (type == ActionType.LABEL)
                    for (var e : ((Map<?, ?>) options.get(key)).entrySet())
                        if (!String.valueOf(e.getValue()).matches("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?"))
                            throw new PolicyException(here + ".labels." + e.getKey() + ": '" + e.getValue() + "' is not a valid label value");
            }
            case NOTIFY -> {
                Object url = options.get("url");
                if (url == null || !String.valueOf(url).matches("https?://.+")) throw new PolicyException(here + ".url: an http(s) webhook URL is required");
            }
            default -> { }
        }
        return new ActionSpec(type, options);
    }

    private static void keys(JsonNode n, Set<String> allowed, String at) {
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k))
                throw new PolicyException(at + ": unknown key '" + k + "' (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
    }

    private static List<String> strings(JsonNode n, String at) {
        if (n == null || n.isNull()) return List.of();
        if (n.isValueNode()) return List.of(n.asText());
        if (!n.isArray()) throw new PolicyException(at + " must be a string or a list of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isValueNode()) throw new PolicyException(at + " must be a list of strings");
            out.add(x.asText());
        }
        return List.copyOf(out);
    }

    private static boolean bool(JsonNode n, String at, boolean dflt) {
        if (n == null || n.isNull()) return dflt;
        if (!n.isBoolean()) throw new PolicyException(at + " must be true or false");
        return n.booleanValue();
    }

    private static Duration duration(JsonNode n, String at) {
        Duration d = Durations.parse(n.asText());
        if (d == null || d.isNegative()) throw new PolicyException(at + ": not a duration: '" + n.asText() + "' (e.g. 30s, 10m, 1h)");
        return d;
    }
}
