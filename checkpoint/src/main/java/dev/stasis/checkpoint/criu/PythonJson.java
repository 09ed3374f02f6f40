package dev.stasis.checkpoint.criu;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree exactly as Python's {@code json.dump} does with its
 * defaults (ensure_ascii, ", " and ": " separators; with indent 4 ","
 * line ends), so that stasis output is byte-for-byte what crit prints.
 */
public final class PythonJson {
    private PythonJson() {}

    /** One line like {@code json.dumps(v)}; with {@code pretty}, like {@code json.dumps(v, indent=4)}. */
    public static String write(JsonNode node, boolean pretty) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, pretty ? 0 : -1);
        return sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode node, int level) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                separator(sb, first, level + 1);
                first = false;
                string(sb, e.getKey());
                sb.append(": ");
                write(sb, e.getValue(), level < 0 ? -1 : level + 1);
            }
            close(sb, level);
            sb.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (JsonNode v : node) {
                separator(sb, first, level + 1);
                first = false;
                write(sb, v, level < 0 ? -1 : level + 1);
            }
            close(sb, level);
            sb.append(']');
        } else if (node.isTextual()) {
            string(sb, node.textValue());
        } else if (node.isBoolean()) {
            sb.append(node.booleanValue() ? "true" : "false");
        } else if (node.isNull() || node.isMissingNode()) {
            sb.append("null");
        } else if (node.isInt() || node.isLong()) {
            sb.append(node.longValue());
        } else if (node.isIntegralNumber()) {
            sb.append(node.bigIntegerValue().toString());
        } else {
            sb.append(node.asText());
        }
    }

    private static void separator(StringBuilder sb, boolean first, int level) {
        if (level <= 0) {
            if (!first) sb.append(", ");
            return;
        }
        if (!first) sb.append(',');
        sb.append('\n').append("    ".repeat(level));
    }

    private static void close(StringBuilder sb, int level) {
        if (level >= 0) sb.append('\n').append("    ".repeat(level));
    }

    /** Python's ensure_ascii string escaping: everything outside space..~ is escaped. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') sb.append(c);
                    else sb.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        sb.append('"');
    }
}
