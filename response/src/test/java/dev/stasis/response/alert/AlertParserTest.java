package dev.stasis.response.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.response.Fixtures;
import dev.stasis.vocabulary.Priority;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlertParserTest {
    @Test
    void readsFalcoHttpOutput() {
        Alert a = AlertParser.parse(Fixtures.bytes("alerts/falco-c2.json"));
        assertThat(a.envelope()).isEqualTo(Alert.Envelope.FALCO);
        assertThat(a.rule()).isEqualTo("Outbound Connection to C2 Servers");
        assertThat(a.priority()).isEqualTo(Priority.CRITICAL);
        assertThat(a.source()).isEqualTo("syscall");
        assertThat(a.hostname()).isEqualTo("node-1");
        assertThat(a.time()).isEqualTo(Instant.parse("2026-11-29T16:31:56.746609046Z"));
        assertThat(a.tags()).containsExactly("container", "network", "mitre_command_and_control", "TA0011");
        assertThat(a.field("fd.sport")).isEqualTo("6667");
        assertThat(a.outputFields().get("evt.time")).isEqualTo(1795969916746609046L);
        Target t = Target.of(a);
        assertThat(t).isEqualTo(new Target("notebooks", "jupyter-0", "bot", "3ad4f9c1b2e7", "node-1"));
        assertThat(t.key()).isEqualTo("node-1/notebooks/jupyter-0/bot");
    }

    @Test
    void readsFalcosidekickWebhookWithUuid() {
        Alert a = AlertParser.parse(Fixtures.bytes("alerts/sidekick-c2.json"));
        assertThat(a.envelope()).isEqualTo(Alert.Envelope.FALCOSIDEKICK);
        assertThat(a.uuid()).isEqualTo("7c0b9a1e-3c5e-4a55-9b8f-3f1f6a1d2c11");
        assertThat(a.rule()).isEqualTo("Outbound Connection to C2 Servers");
    }

    @Test
    void unwrapsArgoEventsEnvelope() {
        Alert a = AlertParser.parse(Fixtures.bytes("alerts/argo-c2.json"));
        assertThat(a.envelope()).isEqualTo(Alert.Envelope.ARGO_EVENTS);
        assertThat(a.uuid()).isEqualTo("7c0b9a1e-3c5e-4a55-9b8f-3f1f6a1d2c11");
        assertThat(Target.of(a).pod()).isEqualTo("jupyter-0");
        // provenance keeps the alert itself, without the envelope
        assertThat(a.raw()).startsWith("{").contains("\"rule\":\"Outbound Connection to C2 Servers\"").doesNotContain("\"context\"");
    }

    @Test
    void falcoNaFieldsAreEmpty() {
        Alert a = AlertParser.parse("{\"rule\":\"r\",\"priority\":\"Notice\",\"output_fields\":{\"k8s.ns.name\":\"<NA>\",\"container.id\":\"host\"}}");
        Target t = Target.of(a);
        assertThat(t.namespace()).isEmpty();
        assertThat(t.hasContainer()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[1,2]", "\"text\"", "", "{\"rule\":\"x\"}", "{\"priority\":\"Critical\"}", "{\"rule\":\"x\",\"priority\":\"Severe\"}",
            "{\"rule\":\"x\",\"priority\":\"Critical\",\"time\":\"yesterday\"}", "{\"rule\":\"x\",\"priority\":\"Critical\",\"output_fields\":[1]}",
            "{\"rule\":{\"a\":1},\"priority\":\"Critical\"}", "{\"context\":{},\"data\":{\"body\":42}}"})
    void rejectsWithAOneLineReason(String body) {
        assertThatThrownBy(() -> AlertParser.parse(body)).isInstanceOf(AlertException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n"));
    }

    @Test
    void namesTheMissingField() {
        assertThatThrownBy(() -> AlertParser.parse("{\"priority\":\"Critical\"}")).hasMessage("missing field 'rule'");
        assertThatThrownBy(() -> AlertParser.parse("{\"rule\":\"x\"}")).hasMessage("missing field 'priority'");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"rule\":\"x\",\"priority\":\"Critical\",\"output_fields\":{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}}";
        assertThatThrownBy(() -> AlertParser.parse(deep)).isInstanceOf(AlertException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void prioritiesOrderLikeFalco() {
        assertThat(Priority.EMERGENCY.atLeast(Priority.CRITICAL)).isTrue();
        assertThat(Priority.CRITICAL.atLeast(Priority.CRITICAL)).isTrue();
        assertThat(Priority.WARNING.atLeast(Priority.CRITICAL)).isFalse();
        assertThat(AlertParser.priority("info")).isEqualTo(Priority.INFORMATIONAL);
        // Falco's parse_priority (falco_common.cpp) knows no "warn": an alert or policy saying it is refused
        assertThatThrownBy(() -> AlertParser.priority("warn")).isInstanceOf(AlertException.class)
                .hasMessageContaining("unknown priority 'warn'");
    }

    @Test
    void aOneLineBodyIsKeptAsReceived() {
        // 1.50 and the field order survive only if the text is the body itself, not a re-serialized tree
        String body = "{\"rule\":\"r\",\"priority\":\"Notice\",\"output_fields\":{\"z\":1.50,\"a\":\"\u00e9\"}}";
        Alert a = AlertParser.parse(("  " + body + "\t").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(a.raw()).isEqualTo(body);
        assertThat(a.field("a")).isEqualTo("\u00e9");
    }

    @Test
    void aMultiLineBodyIsStoredAsOneLineOfTheSameJson() throws Exception {
        String body = "{\n  \"rule\": \"r\",\n  \"priority\": \"Notice\",\r\n  \"output\": \"two\\nlines\"\n}\n";
        Alert a = AlertParser.parse(body);
        assertThat(a.raw()).doesNotContain("\n").doesNotContain("\r");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.readTree(a.raw())).isEqualTo(json.readTree(body));
        assertThat(a.output()).isEqualTo("two\nlines");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"rule\":\"r\",\"priority\":\"Notice\"} junk", "{\"rule\":\"r\",\"priority\":\"Notice\"}{\"rule\":\"s\"}"})
    void contentAfterTheAlertIsRejected(String body) {
        assertThatThrownBy(() -> AlertParser.parse(body)).isInstanceOf(AlertException.class).hasMessageStartingWith("malformed JSON");
    }
}
