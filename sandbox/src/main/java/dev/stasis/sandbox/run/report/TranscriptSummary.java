package dev.stasis.sandbox.run.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads the sinkhole's transcript back into the report's summary of what it saw. */
public final class TranscriptSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TranscriptSummary() {}

    public static DynamicReport.Sinkhole read(Path transcript) {
        long lines = 0, from = 0, to = 0;
        Set<String> flows = new LinkedHashSet<>();
        List<String> dns = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (BufferedReader r = Files.newBufferedReader(transcript, StandardCharsets.UTF_8)) {
            for (String l; (l = r.readLine()) != null; ) {
                lines++;
                JsonNode n;
                try {
                    n = JSON.readTree(l);
                } catch (IOException e) {
                    continue; // a line torn by a kill
                }
                String dir = n.path("direction").asText();
                String flow = n.path("flow").asText();
                if (dir.equals("event") && n.path("text").asText().startsWith("dns ")) {
                    dns.add(n.path("text").asText().substring(4));
                    continue;
                }
                if (!flow.equals("?")) flows.add(flow);
                int len = n.path("hex").asText().length() / 2;
                if (dir.equals("from_sandbox")) {
                    from += len;
                    text.append(new String(HexFormat.of().parseHex(n.path("hex").asText()), StandardCharsets.ISO_8859_1));
                } else if (dir.equals("to_sandbox")) {
                    to += len;
                }
            }
        } catch (IOException e) {
            // no transcript: the sinkhole saw nothing
        }
        List<String> said = new ArrayList<>();
        for (String l : text.toString().split("\r?\n")) if (!l.isBlank() && said.size() < 200) said.add(l);
        return new DynamicReport.Sinkhole(lines, List.copyOf(flows), from, to, dns, said);
    }
}
