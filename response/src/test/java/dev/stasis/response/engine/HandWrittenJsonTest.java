package dev.stasis.response.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The engine writes its journal records and log lines as text by hand; Jackson's
 * parser (not the code under test) must read every one back to the same values,
 * whatever the strings hold (quotes, backslashes, control and non-ASCII characters).
 */
class HandWrittenJsonTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 500)
    void anyStringReadsBackUnchanged(@ForAll String s) throws Exception {
        String text = JsonText.quote(new StringBuilder(), s).toString();
        assertThat(text).doesNotContain("\n").doesNotContain("\r");
        assertThat(JSON.readTree(text).textValue()).isEqualTo(s);
    }

    @Property(tries = 300)
    void journalRecordsAreOneLineOfTheFieldsGiven(@ForAll String id, @ForAll String key, @ForAll String rule, @ForAll String detail,
                                                  @ForAll boolean act) throws Exception {
        String alert = "{\"rule\":" + JsonText.quote(new StringBuilder(), rule) + ",\"n\":[1,2.5,null]}";
        String a = Records.alert(id, 1_795_969_916_746L, key, rule, act, "queued", alert);
        JsonNode n = JSON.readTree(a);
        assertThat(a).doesNotContain("\n");
        assertThat(n.path("t").asText()).isEqualTo("alert");
        assertThat(n.path("id").asText()).isEqualTo(id);
        assertThat(n.path("at").asLong()).isEqualTo(1_795_969_916_746L);
        assertThat(n.path("key").asText()).isEqualTo(key);
        assertThat(n.path("rule").asText()).isEqualTo(rule);
        assertThat(n.path("act").asBoolean()).isEqualTo(act);
        assertThat(n.path("alert")).isEqualTo(JSON.readTree(alert));

        JsonNode s = JSON.readTree(Records.step(id, 3, "checkpoint", "failed", detail, JSON.readTree("{\"path\":\"/x\"}")));
        assertThat(s.path("i").asInt()).isEqualTo(3);
        assertThat(s.path("detail").asText()).isEqualTo(detail);
        assertThat(s.path("result").path("path").asText()).isEqualTo("/x");
        JsonNode d = JSON.readTree(Records.done(id, "ok", null));
        assertThat(d.has("detail")).isFalse();
        assertThat(d.path("id").asText()).isEqualTo(id);
    }

    @Property(tries = 200)
    void logLinesAreOneJsonObjectPerLine(@ForAll String event, @ForAll String value, @ForAll long number, @ForAll double real) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonLog(new PrintStream(out, true, StandardCharsets.UTF_8)).info(event, "v", value, "n", number, "r", real, "none", null,
                "tree", JSON.readTree("{\"a\":[true]}"));
        String line = out.toString(StandardCharsets.UTF_8);
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode n = JSON.readTree(line);
        assertThat(n.path("event").asText()).isEqualTo(event);
        assertThat(n.path("v").asText()).isEqualTo(value);
        assertThat(n.path("n").asLong()).isEqualTo(number);
        if (Double.isFinite(real)) assertThat(n.path("r").asDouble()).isEqualTo(real);
        else assertThat(n.path("r").asText()).isEqualTo(Double.toString(real));
        assertThat(n.path("none").isNull()).isTrue();
        assertThat(n.path("tree").path("a").get(0).asBoolean()).isTrue();
    }
}
