package dev.stasis.response.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stasis.response.policy.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** Small typed accessors over a YAML tree, each failing with the key's path. */
final class Yaml {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Yaml() {}

    static JsonNode read(Path file) {
        try {
            JsonNode n = YAML.readTree(Files.readAllBytes(file));
            if (n == null || n.isMissingNode() || n.isNull()) return YAML.createObjectNode();
            if (!n.isObject()) throw new ConfigException(file + ": expected a mapping");
            return n;
        } catch (NoSuchFileException e) {
            throw new ConfigException("no such configuration file: " + file);
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    static void keys(JsonNode n, String at, Set<String> allowed) {
        if (n == null || n.isMissingNode() || n.isNull()) return;
        if (!n.isObject()) throw new ConfigException(at + " must be a mapping");
        n.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) throw new ConfigException((at.isEmpty() ? "" : at + ": ") + "unknown key '" + k + "' (allowed: "
                    + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        });
    }

    static String str(JsonNode n, String key, String dflt) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    static int integer(JsonNode n, String key, int dflt, String at) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.canConvertToInt()) throw new ConfigException(at + key + " must be a whole number");
        return v.asInt();
    }

    static long longValue(JsonNode n, String key, long dflt, String at) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isIntegralNumber()) throw new ConfigException(at + key + " must be a whole number");
        return v.asLong();
    }

    static boolean bool(JsonNode n, String key, boolean dflt, String at) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) throw new ConfigException(at + key + " must be true or false");
        return v.asBoolean();
    }

    static Duration duration(JsonNode n, String key, Duration dflt, String at) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return dflt;
        Duration d = Durations.parse(v.asText());
        if (d == null) throw new ConfigException(at + key + ": not a duration: '" + v.asText() + "' (e.g. 30s)");
        return d;
    }

    static Path path(JsonNode n, String key, Path base, Path dflt) {
        String s = str(n, key, null);
        if (s == null) return dflt;
        Path p = Path.of(s);
        return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
    }

    /** A secret given inline ({@code key}) or in a file ({@code keyFile}); the file is read each time (rotation). */
    static java.util.function.Supplier<String> secret(JsonNode n, String key, Path base, String at) {
        String inline = str(n, key, null);
        Path file = path(n, key + "File", base, null);
        if (inline != null && file != null) throw new ConfigException(at + "give " + key + " or " + key + "File, not both");
        if (inline != null) return () -> inline;
        if (file == null) return null;
        return () -> {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException("cannot read " + file + ": " + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
            }
        };
    }
}
