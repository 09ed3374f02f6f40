package dev.stasis.capture.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ContainerJson} reads with {@link JsonTokens} what it read with Jackson's streaming parser:
 * the ground truth is Jackson (with its default settings), driven by the reading code ContainerJson
 * had before, on container JSON of every key ContainerJson reads, on edge cases of JSON syntax and
 * Jackson's limits, and on many thousand random corruptions of them.
 */
class JsonTokensTest {
    private static final JsonFactory FACTORY = new JsonFactory();

    private static final List<String> CORPUS = List.of(
            // as libsinsp's container_to_json writes it (sysdig 0.29.3 captures)
            """
            {"container":{"Mounts":[{"Destination":"/data","Mode":"","Propagation":"rprivate","RW":true,\
            "Source":"/var/lib/docker/volumes/x/_data"},{"Destination":"/ro","Mode":"ro","Propagation":"",\
            "RW":false,"Source":"/srv"}],"cpu_period":100000,"cpu_quota":0,"cpu_shares":1024,\
            "cpuset_cpu_count":0,"created_time":1700000000,"env":[],"full_id":\
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","id":"0123456789ab",\
            "image":"docker.io/library/alpine:3.18","imagedigest":"sha256:abc","imageid":"deadbeef",\
            "imagerepo":"docker.io/library/alpine","imagetag":"3.18","ip":"172.17.0.2","is_pod_sandbox":false,\
            "labels":{"maintainer":"x","com.example.k":"v \\"q\\" \\u00e9\\ud83d\\ude00"},"lookup_state":1,\
            "memory_limit":0,"metadata_deadline":0,"name":"eager_turing","port_mappings":[],"privileged":false,\
            "swap_limit":0,"type":0}}""",
            "{\"container\":{\"id\":\"abc\",\"type\":\"10\",\"privileged\":1,\"name\":null}}",
            "{\"container\":{\"id\":\"abc\",\"type\":10.5,\"privileged\":\" TRUE \",\"image\":{\"x\":[1,2]}}}",
            "{\"container\":{\"id\":\"abc\",\"type\":\"podman\",\"privileged\":true,\"labels\":[1],\"Mounts\":{}}}",
            "{\"container\":{\"id\":\"abc\",\"type\":2147483648}}",
            "{\"container\":{\"id\":\"abc\",\"privileged\":9223372036854775808}}",
            "{\"container\":{\"id\":\"abc\",\"privileged\":-9223372036854775808,\"type\":-2147483648}}",
            "{\"container\":{\"id\":\"abc\",\"Mounts\":[1,\"x\",[{}],{\"RW\":{\"Source\":\"/in\"},\"Source\":\"/s\"}]}}",
            "{\"container\":{\"id\":\"abc\",\"labels\":{\"a\":{\"b\":1},\"c\":[true],\"d\":-0.5e+3,\"a\":\"2\"}}}",
            "{\"other\":[{\"container\":{\"id\":\"no\"}}],\"container\":5,\"container\":{\"id\":\"yes\"}} trailing",
            "{\"container\":{\"id\":\"\"}}",
            "{\"container\":{\"name\":\"x\"}}",
            "{}",
            "[]",
            "",
            "  \t\r\n {\"container\" : { \"id\" : \"a\\/b\\\\c\\b\\f\\n\\r\\t\" } } ",
            "\uFEFF{\"container\":{\"id\":\"bom\"}}",
            "{\"container\":{\"id\":\"abc\"}} {not json",
            "{\"container\":{\"id\":\"abc\"},}",
            "{\"container\":{\"id\":\"abc\",}}",
            "{\"container\":{\"id\":\"abc\",\"x\":[1,]}}",
            "{\"container\":{\"id\":\"abc\",\"x\":01}}",
            "{\"container\":{\"id\":\"abc\",\"x\":-}}",
            "{\"container\":{\"id\":\"abc\",\"x\":1.}}",
            "{\"container\":{\"id\":\"abc\",\"x\":.5}}",
            "{\"container\":{\"id\":\"abc\",\"x\":+1}}",
            "{\"container\":{\"id\":\"abc\",\"x\":1e}}",
            "{\"container\":{\"id\":\"abc\",\"x\":NaN}}",
            "{\"container\":{\"id\":\"abc\",\"x\":truex}}",
            "{\"container\":{\"id\":\"abc\",\"x\":tru}}",
            "{\"container\":{\"id\":\"abc\",\"x\":\"\\x\"}}",
            "{\"container\":{\"id\":\"abc\",\"x\":\"\\u12G4\"}}",
            "{\"container\":{\"id\":\"abc\",\"x\":\"\\u１２３４\"}}",
            "{\"container\":{\"id\":\"abc\",\"x\":\"tab\there\"}}",
            "{\"container\":{\"id\":\"abc\"\u000b}}",
            "{\"container\":{\"id\":\"abc\" /* c */}}",
            "{\"container\":{'id':\"abc\"}}",
            "{\"container\":{id:\"abc\"}}",
            "{\"container\":{\"id\" \"abc\"}}",
            "{\"container\":{\"id\":\"abc\"]}",
            "{\"container\":{\"id\":\"abc\"",
            "{\"container\":{\"id\":\"ab",
            "{\"container\":{\"id\":\"abc\",\"x\":[1,2}}",
            "{\"container\":{\"id\":\"abc\",\"x\":\"\u0000\"}}",
            "{\"container\":{\"id\":\"\u00e9\u0080\ud800\"}}");

    @Test
    void readsTheCorpusAsJacksonDid() {
        for (String json : corpus()) {
            assertThat(ContainerJson.parse(json)).as(json.length() > 300 ? json.substring(0, 300) : json)
                    .isEqualTo(jackson(json));
        }
    }

    @Test
    void theCorpusHoldsContainersAndFailures() {
        // the comparison is worth something only if both outcomes occur, with every key read
        List<ContainerInfo> read = corpus().stream().map(JsonTokensTest::jackson).toList();
        assertThat(read).contains((ContainerInfo) null);
        ContainerInfo first = jackson(CORPUS.get(0));
        assertThat(first.id()).isEqualTo("0123456789ab");
        assertThat(first.mounts()).hasSize(2);
        assertThat(first.labels()).containsEntry("com.example.k", "v \"q\" \u00e9\ud83d\ude00");
        assertThat(first.ip()).isEqualTo("172.17.0.2");
        assertThat(first.imageTag()).isEqualTo("3.18");
        assertThat(read.stream().filter(c -> c != null && c.privileged()).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void givesJacksonsTokensForWellFormedInput() throws IOException {
        for (String json : corpus()) {
            List<String> expected = new ArrayList<>();
            try (JsonParser p = FACTORY.createParser(json)) {
                for (JsonToken t; (t = p.nextToken()) != null; ) {
                    expected.add(t.name() + " " + p.getText());
                    if (p.currentToken() == JsonToken.END_OBJECT && p.getParsingContext().inRoot()) {
                        break; // ContainerJson never reads past the root object
                    }
                }
            } catch (IOException e) {
                continue; // malformed: compared by readsTheCorpusAsJacksonDid
            }
            List<String> actual = new ArrayList<>();
            JsonTokens p = new JsonTokens(json);
            for (JsonTokens.Token t; (t = p.next()) != null; ) {
                actual.add(jacksonName(t) + " " + p.text());
                if (t == JsonTokens.Token.END_OBJECT && actual.size() == expected.size()) {
                    break;
                }
            }
            assertThat(actual).as(json).isEqualTo(expected);
        }
    }

    @Test
    void readsRandomCorruptionsAsJacksonDid() {
        Random random = new Random(20261204);
        String alphabet = "{}[]\":,\\ -+.0123456789eEtrufalsn/'\t\n\u0001\u00e9u";
        int compared = 0, containers = 0;
        for (String base : CORPUS) {
            for (int i = 0; i < 1500; i++) {
                StringBuilder b = new StringBuilder(base);
                int edits = 1 + random.nextInt(3);
                for (int k = 0; k < edits; k++) {
                    int at = b.isEmpty() ? 0 : random.nextInt(b.length());
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    switch (random.nextInt(4)) {
                        case 0 -> b.insert(at, c);
                        case 1 -> { if (!b.isEmpty()) b.deleteCharAt(at); }
                        case 2 -> { if (!b.isEmpty()) b.setCharAt(at, c); }
                        default -> b.setLength(at);
                    }
                }
                String json = b.toString();
                ContainerInfo expected = jackson(json);
                assertThat(ContainerJson.parse(json)).as(json).isEqualTo(expected);
                compared++;
                containers += expected != null ? 1 : 0;
            }
        }
        assertThat(compared).isEqualTo(1500 * CORPUS.size());
        assertThat(containers).isBetween(compared / 50, compared - compared / 20); // both outcomes, often
    }

    /** The corpus and Jackson's limits: nesting depth and lengths of numbers, names and strings around them. */
    private static List<String> corpus() {
        List<String> out = new ArrayList<>(CORPUS);
        for (int depth = 997; depth <= 1002; depth++) {
            out.add("{\"container\":{\"id\":\"deep\",\"x\":" + "[".repeat(depth - 2) + "]".repeat(depth - 2) + "}}");
            out.add("{\"x\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + ",\"container\":{\"id\":\"deep\"}}");
        }
        for (int n = 999; n <= 1001; n++) {
            out.add("{\"container\":{\"id\":\"num\",\"x\":" + "1".repeat(n) + "}}");
            out.add("{\"container\":{\"id\":\"num\",\"x\":-" + "1".repeat(n) + "}}");
            out.add("{\"container\":{\"id\":\"num\",\"x\":1." + "1".repeat(n - 1) + "}}");
            out.add("{\"container\":{\"id\":\"num\",\"x\":" + "1".repeat(n - 3) + "e12}}");
            out.add("{\"container\":{\"id\":\"num\",\"x\":1.5e" + "1".repeat(n - 2) + "}}");
        }
        for (int n = 49_999; n <= 50_001; n++) {
            out.add("{\"container\":{\"id\":\"name\",\"" + "k".repeat(n) + "\":1}}");
        }
        out.add("{\"container\":{\"id\":\"" + "s".repeat(20_000_001) + "\"}}");
        out.add("{\"container\":{\"id\":\"" + "s".repeat(20_000_000) + "\"}}");
        return out;
    }

    private static String jacksonName(JsonTokens.Token t) {
        return switch (t) {
            case STRING -> "VALUE_STRING";
            case INT -> "VALUE_NUMBER_INT";
            case FLOAT -> "VALUE_NUMBER_FLOAT";
            case TRUE -> "VALUE_TRUE";
            case FALSE -> "VALUE_FALSE";
            case NULL -> "VALUE_NULL";
            default -> t.name();
        };
    }

    // ---- the reading ContainerJson did with Jackson before JsonTokens: the oracle ----

    private static ContainerInfo jackson(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("container") && t == JsonToken.START_OBJECT) {
                    return container(p);
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static ContainerInfo container(JsonParser p) throws IOException {
        String id = "", name = "", image = "", imageId = "", imageRepo = "", imageTag = "";
        String typeName = "", ip = "";
        boolean privileged = false;
        Map<String, String> labels = new LinkedHashMap<>();
        List<ContainerMount> mounts = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "id" -> id = text(p, t);
                case "name" -> name = text(p, t);
                case "image" -> image = text(p, t);
                case "imageid" -> imageId = text(p, t);
                case "imagerepo" -> imageRepo = text(p, t);
                case "imagetag" -> imageTag = text(p, t);
                case "privileged" -> privileged = t == JsonToken.VALUE_TRUE
                        || (t == JsonToken.VALUE_NUMBER_INT && p.getLongValue() != 0)
                        || (t == JsonToken.VALUE_STRING && p.getText().strip().equalsIgnoreCase("true"));
                case "type" -> typeName = t == JsonToken.VALUE_NUMBER_INT ? ContainerJson.typeName(p.getIntValue()) : typeText(text(p, t));
                case "labels" -> {
                    if (t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            labels.put(k, text(p, p.nextToken()));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "Mounts" -> mounts(p, t, mounts);
                case "ip" -> ip = text(p, t);
                default -> p.skipChildren();
            }
        }
        if (id.isEmpty()) {
            return null;
        }
        return new ContainerInfo(id.length() > 12 ? id.substring(0, 12) : id, typeName, name, image, imageId,
                imageRepo, imageTag, privileged, Map.copyOf(labels), mounts, ip);
    }

    private static void mounts(JsonParser p, JsonToken t, List<ContainerMount> out) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        for (JsonToken item; (item = p.nextToken()) != JsonToken.END_ARRAY && item != null; ) {
            if (item != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String source = "", dest = "", mode = "", propagation = "";
            boolean rw = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                JsonToken v = p.nextToken();
                switch (k) {
                    case "Source" -> source = text(p, v);
                    case "Destination" -> dest = text(p, v);
                    case "Mode" -> mode = text(p, v);
                    case "Propagation" -> propagation = text(p, v);
                    case "RW" -> rw = v == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
            out.add(new ContainerMount(source, dest, mode, rw, propagation));
        }
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return "";
        }
        return t == JsonToken.VALUE_NULL ? "" : p.getText();
    }

    private static String typeText(String s) {
        try {
            return ContainerJson.typeName(Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return s;
        }
    }
}
