package dev.stasis.analysis.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.report.Identity;
import dev.stasis.analysis.report.Report;
import dev.stasis.analysis.report.TimelineEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The timeline in Timesketch's JSONL import format: one JSON object per line
 * with the required {@code message}, {@code datetime} (ISO 8601) and
 * {@code timestamp_desc}, plus {@code timestamp} (microseconds since the epoch)
 * and stasis attributes (source, path, finding id, container, pod). Findings are
 * placed at the checkpoint time, the moment the state they describe was seen.
 */
public final class TimesketchTimeline {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TimesketchTimeline() {}

    public static void write(Report r, OutputStream out) {
        try {
            for (TimelineEvent e : r.timeline()) {
                ObjectNode o = event(r, e.time(), e.message(), e.timestampDesc());
                o.put("source", e.source());
                if (e.path() != null) o.put("path", e.path());
                if (e.findingId() != null) o.put("finding_id", e.findingId());
                line(out, o);
            }
            Identity id = r.container();
            Instant seen = id != null && id.checkpointedAt() != null ? id.checkpointedAt() : r.generatedAt();
            for (Finding f : r.findings()) {
                ObjectNode o = event(r, seen, "[" + f.severity().label() + "] " + f.id() + " " + f.title(), "Finding (state at checkpoint)");
                o.put("source", "stasis analyze");
                o.put("finding_id", f.id());
                o.put("severity", f.severity().label());
                o.put("confidence", f.confidence().label());
                o.put("techniques", String.join(",", f.techniques()));
                o.put("tag", "stasis-" + f.severity().label());
                line(out, o);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode event(Report r, Instant t, String message, String desc) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("message", message);
        o.put("datetime", t.truncatedTo(ChronoUnit.MICROS).toString());
        o.put("timestamp", t.getEpochSecond() * 1_000_000L + t.getNano() / 1000);
        o.put("timestamp_desc", desc);
        Identity id = r.container();
        if (id != null) {
            if (id.containerName() != null) o.put("container", id.containerName());
            if (id.podName() != null) o.put("pod", id.podName());
            if (id.namespace() != null) o.put("namespace", id.namespace());
        }
        if (r.source() != null && r.source().sha256() != null) o.put("evidence_sha256", r.source().sha256());
        return o;
    }

    private static void line(OutputStream out, ObjectNode o) throws IOException {
        out.write(MAPPER.writeValueAsString(o).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }
}
