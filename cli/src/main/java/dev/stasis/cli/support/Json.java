package dev.stasis.cli.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The one JSON writer the commands print with, so every command formats alike: snake_case keys
 * (records and beans through Jackson's naming strategy; map keys are written as given, so the
 * field language of sysdig and Falco, {@code evt.num}, stays as it is) and, for each document,
 * a {@code schema} naming it and its version (docs/json.md lists them).
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // named, not found with findAndRegisterModules(): that scans every jar on the class path
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A new document: an ordered map whose first key is {@code schema}, "stasis.NAME/vMAJOR".
     * A major version changes when a key is renamed or removed or its meaning changes; added keys
     * keep it.
     */
    public static java.util.Map<String, Object> document(String name, int major) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("schema", schema(name, major));
        return m;
    }

    /** The document {@code payload} (a record, bean or map, written as one object) with {@code schema} put first. */
    public static com.fasterxml.jackson.databind.node.ObjectNode document(String name, int major, Object payload) {
        com.fasterxml.jackson.databind.node.ObjectNode node = MAPPER.createObjectNode();
        node.put("schema", schema(name, major));
        node.setAll((com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.valueToTree(payload));
        return node;
    }

    public static String schema(String name, int major) {
        return "stasis." + name + "/v" + major;
    }

    public static void print(Object value) {
        try {
            OutputStream out = System.out;
            MAPPER.writerWithDefaultPrettyPrinter().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .writeValue(out, value);
            System.out.println();
            System.out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
