package dev.stasis.analysis.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A test on one object's facts (a map from field name to a string, number,
 * boolean or list). Built from YAML by {@link RuleLoader}; see RULES.md.
 */
public sealed interface Condition {
    boolean test(Map<String, Object> facts);

    /** All of them (a YAML mapping of fields). */
    record All(List<Condition> parts) implements Condition {
        public boolean test(Map<String, Object> facts) {
            for (Condition c : parts) if (!c.test(facts)) return false;
            return true;
        }
    }

    /** At least one ({@code any:}). */
    record Any(List<Condition> parts) implements Condition {
        public boolean test(Map<String, Object> facts) {
            for (Condition c : parts) if (c.test(facts)) return true;
            return false;
        }
    }

    /** Negation ({@code not:} around a mapping, or around a field's operators). */
    record Not(Condition inner) implements Condition {
        public boolean test(Map<String, Object> facts) {
            return !inner.test(facts);
        }
    }

    /**
     * One field against one operator. For a list-valued field the test holds when
     * any element satisfies it. A missing (null) field fails every operator but
     * {@code exists: false}.
     */
    record Field(String field, Op op, Object operand) implements Condition {
        public boolean test(Map<String, Object> facts) {
            Object v = facts.get(field);
            if (op == Op.EXISTS) return (v != null) == (Boolean) operand;
            if (v == null) return false;
            if (v instanceof Collection<?> c) {
                for (Object e : c) if (e != null && op.test(e, operand)) return true;
                return false;
            }
            return op.test(v, operand);
        }
    }

    /** The operators a field condition can use. */
    enum Op {
        EQUALS, IN, CONTAINS, ICONTAINS, STARTSWITH, ENDSWITH, REGEX, GLOB, GT, GTE, LT, LTE, EXISTS;

        static Op parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT).replace("_", ""));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        boolean test(Object value, Object operand) {
            String s = String.valueOf(value);
            return switch (this) {
                case EQUALS -> equal(value, operand);
                case IN -> ((List<?>) operand).stream().anyMatch(o -> equal(value, o));
                case CONTAINS -> s.contains(String.valueOf(operand));
                case ICONTAINS -> s.toLowerCase(Locale.ROOT).contains(String.valueOf(operand).toLowerCase(Locale.ROOT));
                case STARTSWITH -> s.startsWith(String.valueOf(operand));
                case ENDSWITH -> s.endsWith(String.valueOf(operand));
                case REGEX, GLOB -> ((Pattern) operand).matcher(s).find();
                case GT -> number(value) != null && number(value) > ((Number) operand).doubleValue();
                case GTE -> number(value) != null && number(value) >= ((Number) operand).doubleValue();
                case LT -> number(value) != null && number(value) < ((Number) operand).doubleValue();
                case LTE -> number(value) != null && number(value) <= ((Number) operand).doubleValue();
                case EXISTS -> true;
            };
        }

        private static boolean equal(Object value, Object operand) {
            if (value instanceof Number n && operand instanceof Number o) return n.doubleValue() == o.doubleValue();
            if (value instanceof Boolean b && operand instanceof Boolean o) return b.equals(o);
            return String.valueOf(value).equals(String.valueOf(operand));
        }

        private static Double number(Object v) {
            if (v instanceof Number n) return n.doubleValue();
            try {
                return Double.parseDouble(String.valueOf(v));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** A glob (*, ?, [..]) as an anchored regex over the whole value. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder("^");
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int close = glob.indexOf(']', i + 1);
                    if (close < 0) re.append("\\[");
                    else {
                        re.append('[').append(glob, i + 1, close).append(']');
                        i = close;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.append('$').toString());
    }

    static List<Condition> list(Condition... cs) {
        return new ArrayList<>(List.of(cs));
    }
}
