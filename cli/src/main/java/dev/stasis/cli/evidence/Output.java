package dev.stasis.cli.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.stasis.cli.support.Json;
import java.io.PrintStream;
import java.util.List;

/** Output helpers for the evidence and case commands: JSON with ISO-8601 times, plain tables. */
final class Output {
    private static final ObjectMapper ISO = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private Output() {}

    static boolean json(String format) {
        if (format.equalsIgnoreCase("json")) return true;
        if (format.equalsIgnoreCase("text") || format.equalsIgnoreCase("table")) return false;
        throw new IllegalArgumentException("invalid output format: " + format + " (text or json)");
    }

    /** Prints any value as JSON through the shared printer, with times as ISO-8601 strings. */
    static void json(Object value) {
        JsonNode tree = ISO.valueToTree(value);
        Json.print(tree);
    }

    static void table(List<String[]> rows, PrintStream out) {
        if (rows.isEmpty()) return;
        int cols = rows.getFirst().length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i] == null ? 1 : r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                String c = r[i] == null ? "-" : r[i];
                sb.append(c);
                if (i < cols - 1) sb.append(" ".repeat(w[i] - c.length() + 2));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, u[i]);
    }

    static String or(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
