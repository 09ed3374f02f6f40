package dev.stasis.response.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.response.Fixtures;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.AlertParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {
    static Policy policy() {
        return PolicyLoader.parse(Fixtures.bytes("policies/c2.yaml"));
    }

    static Policy parse(String yaml) {
        return PolicyLoader.parse(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void loadsTheExamplePolicy() {
        Policy p = policy();
        assertThat(p.cooldown()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.dryRun()).isFalse();
        assertThat(p.rules()).extracting(PolicyRule::name).containsExactly("freeze-c2", "flag-sensitive-reads");
        assertThat(p.rules().getFirst().actions()).extracting(ActionSpec::type)
                .containsExactly(ActionType.CHECKPOINT, ActionType.COLLECT, ActionType.LABEL, ActionType.ISOLATE);
        assertThat(p.rules().getFirst().actions().getFirst().option("timeout", null)).isEqualTo("30s");
    }

    @Test
    void matchesOnRuleGlobPriorityTagsSourceAndFields() {
        Policy p = policy();
        Alert c2 = AlertParser.parse(Fixtures.bytes("alerts/falco-c2.json"));
        assertThat(p.firstMatch(c2)).get().extracting(PolicyRule::name).isEqualTo("freeze-c2");
        Alert file = AlertParser.parse(Fixtures.bytes("alerts/falco-sensitive-file.json"));
        assertThat(p.firstMatch(file)).get().extracting(PolicyRule::name).isEqualTo("flag-sensitive-reads");
        // each criterion of freeze-c2 can veto on its own
        assertThat(p.firstMatch(with(c2, "\"priority\":\"Critical\"", "\"priority\":\"Error\""))).isEmpty();
        assertThat(p.firstMatch(with(c2, "\"mitre_command_and_control\",", ""))).isEmpty();
        assertThat(p.firstMatch(with(c2, "\"fd.sport\":6667", "\"fd.sport\":443"))).isEmpty();
        assertThat(p.firstMatch(with(c2, "\"k8s.ns.name\":\"notebooks\"", "\"k8s.ns.name\":\"kube-system\""))).isEmpty();
        assertThat(p.firstMatch(with(c2, "\"source\":\"syscall\"", "\"source\":\"k8s_audit\""))).isEmpty();
        assertThat(p.firstMatch(with(c2, "\"priority\":\"Critical\"", "\"priority\":\"Emergency\""))).isPresent();
    }

    private static Alert with(Alert a, String from, String to) {
        assertThat(a.raw()).contains(from);
        return AlertParser.parse(a.raw().replace(from, to));
    }

    @Test
    void fieldConditions() {
        Policy p = parse("""
                rules:
                  - name: r
                    match:
                      hostname: "node-*"
                      fields:
                        proc.name: {regex: "^irc"}
                        user.name: {exists: true}
                        container.image.repository: "localhost/*"
                    actions: [checkpoint]
                """);
        Alert a = AlertParser.parse(Fixtures.bytes("alerts/falco-c2.json"));
        assertThat(p.firstMatch(a)).isPresent();
        assertThat(p.firstMatch(with(a, "\"proc.name\":\"irc-bot\"", "\"proc.name\":\"bash\""))).isEmpty();
        assertThat(p.firstMatch(with(a, "\"hostname\":\"node-1\"", "\"hostname\":\"gpu-1\""))).isEmpty();
        assertThat(p.firstMatch(with(a, "\"user.name\":\"root\"", "\"user.name\":null"))).isEmpty();
    }

    @Test
    void errorsNameTheirPlace() {
        assertError("rules: []", "'rules' must be a non-empty list");
        assertError("rule: []", "policy: unknown key 'rule'");
        assertError("rules:\n  - name: a\n    match: {priority: Severe}\n    actions: [checkpoint]", "rules[0].match.priority: unknown priority 'Severe'");
        assertError("rules:\n  - name: a\n    match: {}\n    actions: [freeze]", "rules[0].actions[0]: unknown action 'freeze'");
        assertError("rules:\n  - name: a\n    match: {}\n    actions: [{checkpoint: {leave: true}}]", "rules[0].actions[0].checkpoint: unknown option 'leave'");
        assertError("rules:\n  - name: a\n    match: {}\n    actions: [{checkpoint: {backend: cri}}]", "backend: unknown backend 'cri'");
        assertError("rules:\n  - name: a\n    match: {}\n    actions: [collect, checkpoint]", "'collect' needs a 'checkpoint' action before it");
        assertError("rules:\n  - name: a\n    match: {}\n    actions: [{notify: {text: hi}}]", "notify.url: an http(s) webhook URL is required");
        assertError("rules:\n  - name: a\n    actions: [checkpoint]", "rules[0].match is required");
        assertError("rules:\n  - name: a\n    match: {fields: {proc.name: {regex: \"(\"}}}\n    actions: [checkpoint]", "invalid regular expression");
        assertError("cooldown: soon\nrules:\n  - name: a\n    match: {}\n    actions: [checkpoint]", "cooldown: not a duration: 'soon'");
        assertError("rules:\n  - name: a\n    match: {}\n    actions: [checkpoint]\n  - name: a\n    match: {}\n    actions: [checkpoint]", "duplicate rule name 'a'");
        assertError("rules: [\n", "not valid YAML");
        assertError("rules:\n  - name: a\n    match: {}\n    actions: [{label: {labels: {x: \"not valid!\"}}}]", "not a valid label value");
    }

    private static void assertError(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(PolicyException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void durations() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("later")).isNull();
    }
}
