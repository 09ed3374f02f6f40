package dev.stasis.analysis.intel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads threat-intelligence files in three shapes, told apart by their content:
 * <ul>
 *   <li>a STIX 2.1 bundle (JSON object with {@code "type": "bundle"}): every
 *       {@code indicator} object whose STIX pattern compares
 *       {@code ipv4-addr:value}, {@code ipv6-addr:value}, {@code domain-name:value},
 *       {@code url:value} or {@code file:hashes.'SHA-256'} with {@code =} (or an
 *       address with {@code ISSUBSET}); other comparisons are skipped and counted;</li>
 *   <li>CSV with a header row naming the value column ({@code indicator}, {@code value},
 *       {@code ioc}, {@code ip}, {@code domain}, {@code address}...) and optionally a
 *       description column; without a recognised header the first column is the value
 *       and the second the description;</li>
 *   <li>a plain list: one indicator per line, {@code #} starts a comment.</li>
 * </ul>
 */
public final class IntelLoader {
    /** Intel files are small; a bigger one is probably the wrong file. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private static final Pattern STIX_COMPARISON = Pattern.compile(
            "(ipv4-addr|ipv6-addr|domain-name|url|file):(value|hashes\\.'?(?:SHA-256|SHA256)'?)\\s*(=|ISSUBSET)\\s*'((?:[^'\\\\]|\\\\.)*)'",
            Pattern.CASE_INSENSITIVE);
    private static final List<String> VALUE_COLUMNS = List.of("indicator", "value", "ioc", "observable", "ip", "ip_address",
            "address", "domain", "hostname", "host", "url", "sha256", "hash");
    private static final List<String> LABEL_COLUMNS = List.of("description", "desc", "label", "name", "threat", "comment",
            "tags", "malware", "category", "type");

    private IntelLoader() {}

    public static List<Indicator> load(Path file) {
        String text = readText(file);
        String name = file.getFileName().toString();
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{")) return stixBundle(trimmed, name);
        List<String> lines = text.lines().toList();
        Optional<String> first = lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst();
        if (first.isPresent() && first.get().contains(",")) return csv(lines, name);
        return plain(lines, name);
    }

    private static String readText(Path file) {
        try {
            if (!Files.isRegularFile(file)) throw new IntelFormatException("intel file not found: " + file);
            if (Files.size(file) > MAX_BYTES) throw new IntelFormatException("intel file too large (over 64 MiB): " + file);
            byte[] bytes = Files.readAllBytes(file);
            String s = new String(bytes, StandardCharsets.UTF_8);
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (IOException e) {
            throw new IntelFormatException("cannot read intel file " + file + ": " + e.getMessage());
        }
    }

    static List<Indicator> plain(List<String> lines, String source) {
        List<Indicator> out = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            n++;
            String l = line.strip();
            int hash = l.indexOf('#');
            String comment = null;
            if (hash >= 0) {
                comment = l.substring(hash + 1).strip();
                l = l.substring(0, hash).strip();
            }
            if (l.isEmpty()) continue;
            String[] parts = l.split("\\s+", 2);
            String label = parts.length > 1 ? parts[1] : (comment == null || comment.isEmpty() ? null : comment);
            Optional<Indicator> ind = Indicators.classify(parts[0], label, source + ":" + n);
            if (ind.isEmpty()) throw new IntelFormatException(source + " line " + n + ": not an address, domain, URL or SHA-256: '" + abbreviate(parts[0]) + "'");
            out.add(ind.get());
        }
        return out;
    }

    static List<Indicator> csv(List<String> lines, String source) {
        List<Indicator> out = new ArrayList<>();
        int valueCol = 0;
        int labelCol = 1;
        boolean header = false;
        int n = 0;
        for (String line : lines) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            List<String> cells = splitCsv(l);
            if (!header && out.isEmpty()) {
                header = true;
                List<String> names = cells.stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
                int v = firstOf(names, VALUE_COLUMNS);
                if (v >= 0) {
                    valueCol = v;
                    int lab = firstOf(names, LABEL_COLUMNS.stream().filter(c -> !c.equals(names.get(v))).toList());
                    labelCol = lab;
                    continue;
                }
                // no header: the first row is data
            }
            if (valueCol >= cells.size()) throw new IntelFormatException(source + " line " + n + ": no column " + (valueCol + 1));
            String raw = cells.get(valueCol).strip();
            if (raw.isEmpty()) continue;
            String label = labelCol >= 0 && labelCol < cells.size() ? cells.get(labelCol).strip() : null;
            Optional<Indicator> ind = Indicators.classify(raw, label == null || label.isEmpty() ? null : label, source + ":" + n);
            if (ind.isEmpty()) throw new IntelFormatException(source + " line " + n + ": not an address, domain, URL or SHA-256: '" + abbreviate(raw) + "'");
            out.add(ind.get());
        }
        return out;
    }

    private static int firstOf(List<String> names, List<String> wanted) {
        for (String w : wanted) {
            int i = names.indexOf(w);
            if (i >= 0) return i;
        }
        return -1;
    }

    /** RFC 4180 fields: quotes around a field, doubled quotes inside. */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        cells.add(cur.toString());
        return cells;
    }

    static List<Indicator> stixBundle(String json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IntelFormatException(source + ": not valid JSON (line " + e.getLocation().getLineNr() + ")");
        }
        if (!"bundle".equals(root.path("type").asText())) {
            throw new IntelFormatException(source + ": a JSON intel file must be a STIX 2.1 bundle (\"type\": \"bundle\")");
        }
        JsonNode objects = root.path("objects");
        if (!objects.isArray()) throw new IntelFormatException(source + ": STIX bundle without an \"objects\" array");
        List<Indicator> out = new ArrayList<>();
        for (JsonNode o : objects) {
            if (!"indicator".equals(o.path("type").asText())) continue;
            String patternType = o.path("pattern_type").asText("stix");
            if (!"stix".equalsIgnoreCase(patternType)) continue;
            String pattern = o.path("pattern").asText("");
            String label = o.hasNonNull("name") ? o.get("name").asText()
                    : o.hasNonNull("description") ? o.get("description").asText() : null;
            String id = o.path("id").asText("");
            Matcher m = STIX_COMPARISON.matcher(pattern);
            while (m.find()) {
                String object = m.group(1).toLowerCase(Locale.ROOT);
                String value = m.group(4).replace("\\'", "'").replace("\\\\", "\\");
                String src = source + (id.isEmpty() ? "" : " " + id);
                Optional<Indicator> ind = switch (object) {
                    case "file" -> Indicators.classify(value.toLowerCase(Locale.ROOT), label, src)
                            .filter(i -> i.type() == IndicatorType.SHA256);
                    case "url" -> Optional.of(new Indicator(IndicatorType.URL, value, label, src));
                    default -> Indicators.classify(value, label, src);
                };
                ind.ifPresent(out::add);
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
