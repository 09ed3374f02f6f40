package dev.stasis.analysis.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Reads YAML rule files (the format RULES.md documents) and validates them
 * completely before any rule runs: an unknown field, operator or subject, a bad
 * regex or a duplicate id is a one-line error naming the file and the rule.
 */
public final class RuleLoader {
    static final long MAX_BYTES = 4L * 1024 * 1024;
    static final Set<String> SUBJECTS = Set.of("process", "socket", "file", "deleted", "env", "mount", "spec", "memory");
    private static final Set<String> RULE_KEYS = Set.of("id", "title", "severity", "confidence", "techniques", "why", "description", "enabled");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

    private RuleLoader() {}

    /** Rules from files and directories (every *.yaml / *.yml inside, sorted). */
    public static List<Rule> load(List<Path> paths) {
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path p : paths) {
            for (Path f : files(p)) {
                for (Rule r : loadFile(f)) {
                    if (!ids.add(r.id())) throw new RuleFormatException(f + ": rule id '" + r.id() + "' is defined twice");
                    rules.add(r);
                }
            }
        }
        return rules;
    }

    private static List<Path> files(Path p) {
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.list(p)) {
                return s.filter(f -> {
                    String n = f.getFileName().toString();
                    return Files.isRegularFile(f) && (n.endsWith(".yaml") || n.endsWith(".yml"));
                }).sorted().toList();
            } catch (IOException e) {
                throw new RuleFormatException("cannot list rule directory " + p + ": " + e.getMessage());
            }
        }
        if (!Files.isRegularFile(p)) throw new RuleFormatException("rule file not found: " + p);
        return List.of(p);
    }

    public static List<Rule> loadFile(Path file) {
        String name = file.getFileName().toString();
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) throw new RuleFormatException(file + ": rule file larger than 4 MiB");
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            String loc = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new RuleFormatException(file + ": not valid YAML" + loc + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new RuleFormatException("cannot read rule file " + file + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) return List.of();
        JsonNode list = root.isArray() ? root : root.get("rules");
        if (list == null || !list.isArray()) throw new RuleFormatException(file + ": expected a list of rules under 'rules:'");
        List<Rule> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : list) {
            i++;
            String where = file + ": rule " + (r.hasNonNull("id") ? "'" + r.get("id").asText() + "'" : "#" + i);
            if (!r.isObject()) throw new RuleFormatException(where + ": a rule must be a mapping");
            if (r.has("enabled") && !r.get("enabled").asBoolean(true)) continue;
            out.add(rule(r, where, name));
        }
        return out;
    }

    private static Rule rule(JsonNode r, String where, String origin) {
        String id = text(r, "id", where, true);
        if (!ID.matcher(id).matches()) throw new RuleFormatException(where + ": id must be letters, digits and . _ : - (at most 64)");
        String title = text(r, "title", where, true);
        Severity severity;
        Confidence confidence;
        try {
            severity = Severity.parse(text(r, "severity", where, true));
            confidence = r.has("confidence") ? Confidence.parse(text(r, "confidence", where, true)) : Confidence.MEDIUM;
        } catch (IllegalArgumentException e) {
            throw new RuleFormatException(where + ": " + e.getMessage());
        }
        List<String> techniques = new ArrayList<>();
        if (r.has("techniques")) {
            JsonNode t = r.get("techniques");
            if (t.isTextual()) techniques.add(t.asText());
            else if (t.isArray()) t.forEach(x -> techniques.add(x.asText()));
            else throw new RuleFormatException(where + ": techniques must be a list of ATT&CK ids");
            for (String tid : techniques) {
                if (!tid.matches("T\\d{4}(\\.\\d{3})?")) throw new RuleFormatException(where + ": '" + tid + "' is not an ATT&CK technique id (T1234 or T1234.001)");
            }
        }
        String why = r.hasNonNull("why") ? r.get("why").asText() : r.hasNonNull("description") ? r.get("description").asText() : null;

        String subject = null;
        for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (SUBJECTS.contains(k)) {
                if (subject != null) throw new RuleFormatException(where + ": a rule matches one kind of object, found both '" + subject + "' and '" + k + "'");
                subject = k;
            } else if (!RULE_KEYS.contains(k)) {
                throw new RuleFormatException(where + ": unknown key '" + k + "' (expected id, title, severity, confidence, techniques, why and one of " + String.join(", ", SUBJECTS.stream().sorted().toList()) + ")");
            }
        }
        if (subject == null) throw new RuleFormatException(where + ": says nothing to match (add one of " + String.join(", ", SUBJECTS.stream().sorted().toList()) + ")");
        JsonNode body = r.get(subject);
        if (!body.isObject()) throw new RuleFormatException(where + ": '" + subject + "' must be a mapping of conditions");

        if (subject.equals("memory")) {
            Pattern pattern;
            if (body.has("regex") == body.has("literal")) throw new RuleFormatException(where + ": a memory rule needs exactly one of 'regex' or 'literal'");
            try {
                pattern = body.has("regex") ? Pattern.compile(body.get("regex").asText()) : Pattern.compile(Pattern.quote(body.get("literal").asText()));
            } catch (PatternSyntaxException e) {
                throw new RuleFormatException(where + ": bad regex: " + e.getDescription());
            }
            if (pattern.pattern().isEmpty() || pattern.matcher("").matches()) throw new RuleFormatException(where + ": the memory pattern matches the empty string");
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!Set.of("regex", "literal", "process", "limit").contains(k)) throw new RuleFormatException(where + ": unknown memory key '" + k + "' (regex, literal, process, limit)");
            }
            Condition scope = body.has("process") ? conditions(body.get("process"), "process", where) : new Condition.All(List.of());
            int limit = body.has("limit") ? body.get("limit").asInt(10) : 10;
            return new Rule(id, title, severity, confidence, techniques, why, subject, scope, pattern, Math.max(1, Math.min(limit, 1000)), origin);
        }
        return new Rule(id, title, severity, confidence, techniques, why, subject, conditions(body, subject, where), null, 0, origin);
    }

    static Condition conditions(JsonNode node, String subject, String where) {
        if (!node.isObject()) throw new RuleFormatException(where + ": conditions must be a mapping of field: test");
        List<Condition> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "any", "all" -> {
                    if (!v.isArray()) throw new RuleFormatException(where + ": '" + key + "' takes a list of condition mappings");
                    List<Condition> alts = new ArrayList<>();
                    for (JsonNode alt : v) alts.add(conditions(alt, subject, where));
                    parts.add(key.equals("any") ? new Condition.Any(alts) : new Condition.All(alts));
                }
                case "not" -> parts.add(new Condition.Not(conditions(v, subject, where)));
                default -> {
                    if (!Facts.FIELDS.get(subject).contains(key)) {
                        throw new RuleFormatException(where + ": unknown " + subject + " field '" + key + "' (fields: "
                                + String.join(", ", Facts.FIELDS.get(subject).stream().sorted().toList()) + ")");
                    }
                    parts.add(field(key, v, where));
                }
            }
        }
        return new Condition.All(parts);
    }

    private static Condition field(String field, JsonNode v, String where) {
        if (v.isArray()) return new Condition.Field(field, Condition.Op.IN, scalars(v, where, field));
        if (!v.isObject()) return new Condition.Field(field, Condition.Op.EQUALS, scalar(v));
        List<Condition> ops = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (e.getKey().equals("not")) {
                ops.add(new Condition.Not(field(field, e.getValue(), where)));
                continue;
            }
            Condition.Op op = Condition.Op.parse(e.getKey());
            if (op == null) {
                throw new RuleFormatException(where + ": unknown operator '" + e.getKey() + "' on field '" + field
                        + "' (equals, in, contains, icontains, startswith, endswith, regex, glob, gt, gte, lt, lte, exists, not)");
            }
            JsonNode arg = e.getValue();
            Object operand = switch (op) {
                case IN -> {
                    if (!arg.isArray()) throw new RuleFormatException(where + ": 'in' on field '" + field + "' takes a list");
                    yield scalars(arg, where, field);
                }
                case REGEX -> {
                    try {
                        yield Pattern.compile(arg.asText());
                    } catch (PatternSyntaxException ex) {
                        throw new RuleFormatException(where + ": bad regex on field '" + field + "': " + ex.getDescription());
                    }
                }
                case GLOB -> Condition.glob(arg.asText());
                case GT, GTE, LT, LTE -> {
                    if (!arg.isNumber()) throw new RuleFormatException(where + ": '" + e.getKey() + "' on field '" + field + "' takes a number");
                    yield arg.numberValue();
                }
                case EXISTS -> {
                    if (!arg.isBoolean()) throw new RuleFormatException(where + ": 'exists' takes true or false");
                    yield arg.booleanValue();
                }
                default -> {
                    if (arg.isContainerNode()) throw new RuleFormatException(where + ": '" + e.getKey() + "' on field '" + field + "' takes a single value");
                    yield scalar(arg);
                }
            };
            ops.add(new Condition.Field(field, op, operand));
        }
        return new Condition.All(ops);
    }

    private static List<Object> scalars(JsonNode arr, String where, String field) {
        List<Object> out = new ArrayList<>();
        for (JsonNode x : arr) {
            if (x.isContainerNode()) throw new RuleFormatException(where + ": list for field '" + field + "' must hold plain values");
            out.add(scalar(x));
        }
        return out;
    }

    private static Object scalar(JsonNode v) {
        if (v.isNumber()) return v.numberValue();
        if (v.isBoolean()) return v.booleanValue();
        if (v.isNull()) return "null";
        return v.asText();
    }

    private static String text(JsonNode r, String key, String where, boolean required) {
        JsonNode v = r.get(key);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) throw new RuleFormatException(where + ": missing '" + key + "'");
            return null;
        }
        if (v.isContainerNode()) throw new RuleFormatException(where + ": '" + key + "' must be text");
        return v.asText();
    }
}
