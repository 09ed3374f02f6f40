package dev.stasis.cli.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.stasis.cli.support.FormatOption;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.OutputFormat;
import java.io.PrintStream;
import java.util.List;

/** Output helpers for the evidence and case commands: JSON with ISO-8601 times, plain tables. */
final class Output {
    // snake_case like every command's JSON; the vault's own stored files (manifests, custody log) keep
    // the keys their signatures cover, so a printed manifest is a view of the stored one, not its bytes
    private static final ObjectMapper ISO = JsonMapper.builder().addModule(new JavaTimeModule())
            .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private Output() {}

    /** The evidence and case commands' {@code --format}: text or json, and table (as text), which they always took. */
    static FormatOption format() {
        return FormatOption.of("text or json", OutputFormat.TEXT, OutputFormat.JSON).alias("table", OutputFormat.TEXT);
    }

    /**
     * Prints a record, bean or map as the JSON document {@code stasis.NAME/v1} (docs/json.md) through the
     * shared printer, with times as ISO-8601 strings.
     */
    static void json(String name, Object value) {
        com.fasterxml.jackson.databind.node.ObjectNode doc = ISO.createObjectNode();
        doc.put("schema", Json.schema(name, 1));
        doc.setAll((com.fasterxml.jackson.databind.node.ObjectNode) ISO.valueToTree(value));
        Json.print(doc);
    }

    /** Prints a list as the document {@code stasis.NAME/v1} holding it under {@code key}. */
    static void json(String name, String key, List<?> values) {
        json(name, java.util.Map.of(key, values));
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
