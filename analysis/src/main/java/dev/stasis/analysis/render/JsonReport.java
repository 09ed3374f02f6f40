package dev.stasis.analysis.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.report.Report;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The report as JSON for SIEMs and scripts, in the layout REPORT-SCHEMA.md
 * documents (snake_case keys, absent values omitted, times in ISO-8601 UTC).
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private JsonReport() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode tree(Report r) {
        ObjectNode root = MAPPER.createObjectNode();
        // "schema" names the document as every stasis JSON document does (docs/json.md); "schema_version"
        // is this report's own, older field, kept for the readers that check it
        root.put("schema", "stasis.report/v" + r.schemaVersion().split("\\.")[0]);
        root.put("schema_version", r.schemaVersion());
        root.put("tool", r.tool());
        root.put("generated_at", r.generatedAt().toString());
        if (r.source() != null) root.set("source", MAPPER.valueToTree(r.source()));
        if (r.container() != null) root.set("container", MAPPER.valueToTree(r.container()));
        root.put("verdict", r.verdict().label());
        root.put("verdict_title", r.verdict().title());
        root.put("summary", r.summary());
        ObjectNode counts = root.putObject("counts");
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)) {
            counts.put(s.label(), r.counts().get(s));
        }
        root.set("findings", MAPPER.valueToTree(r.findings()));
        root.set("processes", MAPPER.valueToTree(r.processes()));
        root.set("connections", MAPPER.valueToTree(r.connections()));
        root.set("file_changes", MAPPER.valueToTree(r.fileChanges()));
        root.set("memory_excerpts", MAPPER.valueToTree(r.memoryExcerpts()));
        root.set("timeline", MAPPER.valueToTree(r.timeline()));
        root.set("notices", MAPPER.valueToTree(r.notices()));
        return root;
    }

    public static void write(Report r, OutputStream out) {
        try {
            MAPPER.writeValue(out, tree(r));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toString(Report r) {
        try {
            return MAPPER.writeValueAsString(tree(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
