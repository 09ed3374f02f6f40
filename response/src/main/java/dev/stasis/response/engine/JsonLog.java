package dev.stasis.response.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;

/**
 * Structured logs: one JSON object per line ({@code ts}, {@code level},
 * {@code event}, then the event's fields), so a log pipeline can index them
 * without parsing prose.
 */
public final class JsonLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final JsonLog SILENT = new JsonLog(null);

    private final PrintStream out;

    public JsonLog(PrintStream out) {
        this.out = out;
    }

    public void info(String event, Object... kv) {
        write("info", event, kv);
    }

    public void warn(String event, Object... kv) {
        write("warn", event, kv);
    }

    public void error(String event, Object... kv) {
        write("error", event, kv);
    }

    private void write(String level, String event, Object... kv) {
        if (out == null) return;
        ObjectNode n = JSON.createObjectNode();
        n.put("ts", Instant.now().toString());
        n.put("level", level);
        n.put("event", event);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            Object v = kv[i + 1];
            String k = String.valueOf(kv[i]);
            switch (v) {
                case null -> n.putNull(k);
                case Integer x -> n.put(k, x);
                case Long x -> n.put(k, x);
                case Number x -> n.put(k, x.doubleValue());
                case Boolean b -> n.put(k, b);
                case com.fasterxml.jackson.databind.JsonNode j -> n.set(k, j);
                default -> n.put(k, String.valueOf(v));
            }
        }
        String line = n.toString();
        synchronized (out) {
            out.println(line);
        }
    }
}
