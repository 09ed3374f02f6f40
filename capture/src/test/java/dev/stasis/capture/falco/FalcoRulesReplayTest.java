package dev.stasis.capture.falco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.capture.filter.TestData;
import dev.stasis.vocabulary.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Falco rules loaded and replayed on the shared captures. Expected detections
 * come from outside stasis: sysdig's reading of the captures (the golden
 * files) and the detection counts of Falco's own regression suite for these
 * trace files (falcosecurity/falco test/falco_tests*.yaml, e.g.
 * multiple_rules_suppress_info: open_from_cat 8, exec_from_cat 1 on cat_write.scap).
 */
class FalcoRulesReplayTest {
    private static final String CAT_RULES = """
            - required_engine_version: 2
            - list: cat_binaries
              items: [cat]
            - list: cat_capable_binaries
              items: [cat_binaries]
            - macro: is_cat
              condition: proc.name in (cat_capable_binaries)
            - rule: open_from_cat
              desc: cat opens a file
              condition: evt.type=open and is_cat
              output: "An open was seen (command=%proc.cmdline)"
              priority: WARNING
            - rule: exec_from_cat
              desc: cat is executed
              condition: evt.type=execve and is_cat
              output: "An exec was seen (command=%proc.cmdline)"
              priority: ERROR
            - rule: access_from_cat
              desc: cat calls access
              condition: evt.type=access and is_cat
              output: "An access was seen (command=%proc.cmdline)"
              priority: INFO
            """;

    static List<Alert> replay(Path capture, RuleSet set, Priority min) throws IOException {
        RuleEngine engine = new RuleEngine(set, min, false, null, ZoneOffset.UTC);
        List<Alert> alerts = new ArrayList<>();
        TestData.forEachEvent(capture, e -> alerts.addAll(engine.evaluate(e)));
        return alerts;
    }

    static long count(List<Alert> alerts, String rule) {
        return alerts.stream().filter(a -> a.rule().equals(rule)).count();
    }

    static RuleSet load(String... yamls) {
        RulesLoader loader = new RulesLoader();
        int i = 0;
        for (String y : yamls) loader.add("rules" + (++i) + ".yaml", y);
        return loader.compile();
    }

    @Test
    void seedRuleFiresOnTheConnectionToTheListedIp() throws IOException {
        // sysdig: the only connect exit of falco_connect_localhost.scap is event 187, to 127.0.0.1:80.
        RuleSet set = load("""
                - list: malicious_ips
                  items: ['"127.0.0.1"']
                - rule: Detect Outbound Connection to Malicious IP
                  desc: Detect outbound connections to known malicious IPs
                  condition: evt.type = connect and evt.dir = < and fd.sip in (malicious_ips)
                  output: Outbound connection to malicious IP detected (command=%proc.cmdline connection=%fd.name user=%user.name container_id=%container.id image=%container.image.repository)
                  priority: CRITICAL
                  tags: [network, mitre_command_and_control]
                """);
        assertThat(set.skipped()).isEmpty();
        List<Alert> alerts = replay(TestData.capture("falco_connect_localhost.scap"), set, Priority.DEBUG);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.eventNum()).isEqualTo(187);
        assertThat(a.rule()).isEqualTo("Detect Outbound Connection to Malicious IP");
        assertThat(a.priority()).isEqualTo("Critical");
        assertThat(a.source()).isEqualTo("syscall");
        assertThat(a.tags()).containsExactly("network", "mitre_command_and_control");
        // Values as sysdig prints them for event 187 (golden-filters/falco_connect_localhost.fields).
        assertThat(a.outputFields()).containsEntry("fd.name", "127.0.0.1:47192->127.0.0.1:80")
                .containsEntry("container.id", "host").containsKey("evt.time");
        assertThat(a.output()).contains("Critical Outbound connection to malicious IP detected")
                .contains("connection=127.0.0.1:47192->127.0.0.1:80");
        assertThat(a.time()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
        Map<String, Object> json = a.toJson();
        assertThat(json).containsOnlyKeys("time", "rule", "priority", "source", "hostname", "output", "output_fields",
                "tags");
    }

    @Test
    void seedRuleMatchesIpv6ConnectionsToo() throws IOException {
        // sysdig: curl's connect exit to 2607:f8b0:4004:802::2004 port 80 is event 1273.
        RuleSet set = load("""
                - list: malicious_ips
                  items: ['"2607:f8b0:4004:802::2004"', '"1.2.3.4"']
                - rule: Detect Outbound Connection to Malicious IP
                  desc: x
                  condition: evt.type = connect and evt.dir = < and fd.sip in (malicious_ips)
                  output: "connection=%fd.name"
                  priority: CRITICAL
                """);
        List<Alert> alerts = replay(TestData.capture("libs_curl_google.scap"), set, Priority.DEBUG);
        assertThat(alerts).extracting(Alert::eventNum).containsExactly(1273L);
    }

    @Test
    void detectionCountsOfFalcosRegressionSuiteOnCatWrite() throws IOException {
        List<Alert> warning = replay(TestData.capture("falco_cat_write.scap"), load(CAT_RULES), Priority.WARNING);
        assertThat(count(warning, "open_from_cat")).isEqualTo(8);
        assertThat(count(warning, "exec_from_cat")).isEqualTo(1);
        assertThat(count(warning, "access_from_cat")).isZero();
        List<Alert> all = replay(TestData.capture("falco_cat_write.scap"), load(CAT_RULES), Priority.DEBUG);
        assertThat(count(all, "access_from_cat")).isPositive();
        assertThat(all.stream().filter(a -> a.rule().equals("open_from_cat")).findFirst().orElseThrow().output())
                .endsWith("Warning An open was seen (command=cat /dev/null)");
    }

    @Test
    void laterFilesOverrideRulesMacrosAndListsAsInFalco() throws IOException {
        Path cat = TestData.capture("falco_cat_write.scap");
        // Falco's multiple_rules_overriding, macro_overriding, list_overriding: no detection.
        String overrideRule = """
                - rule: open_from_cat
                  desc: x
                  condition: evt.type=open and proc.name=not-cat
                  output: x
                  priority: WARNING
                """;
        assertThat(replay(cat, load(CAT_RULES, overrideRule), Priority.WARNING)).noneMatch(a -> a.rule().equals("open_from_cat"));
        String overrideMacro = """
                - macro: is_cat
                  condition: proc.name in (not-cat)
                """;
        assertThat(replay(cat, load(CAT_RULES, overrideMacro), Priority.DEBUG)).isEmpty();
        String overrideList = """
                - list: cat_capable_binaries
                  items: [not-cat]
                """;
        assertThat(replay(cat, load(CAT_RULES, overrideList), Priority.DEBUG)).isEmpty();
        // override: append to a list brings the detections back.
        String appendList = """
                - list: cat_capable_binaries
                  items: [cat]
                  override:
                    items: append
                """;
        assertThat(count(replay(cat, load(CAT_RULES, overrideList, appendList), Priority.DEBUG), "open_from_cat")).isEqualTo(8);
        // the older append: true on a rule's condition.
        String appendCondition = """
                - rule: open_from_cat
                  condition: and fd.name=/nonexistent
                  append: true
                """;
        assertThat(count(replay(cat, load(CAT_RULES, appendCondition), Priority.DEBUG), "open_from_cat")).isZero();
        String disable = """
                - rule: open_from_cat
                  enabled: false
                """;
        RuleSet disabled = load(CAT_RULES, disable);
        assertThat(disabled.skipped()).extracting(SkippedRule::name).contains("open_from_cat");
    }

    @Test
    void bareListNameIsSubstitutedLikeFalco() throws IOException {
        // Falco's list_sub_bare: proc.name=cat_binaries detects.
        String rules = """
                - list: cat_binaries
                  items: [cat]
                - macro: is_cat
                  condition: proc.name=cat_binaries
                - rule: open_from_cat
                  desc: x
                  condition: evt.type=open and is_cat
                  output: x
                  priority: WARNING
                """;
        assertThat(count(replay(TestData.capture("falco_cat_write.scap"), load(rules), Priority.DEBUG), "open_from_cat")).isEqualTo(8);
    }

    private static final String EXCEPTION_RULE = """
            - rule: Open From Cat
              desc: A process named cat does an open
              condition: evt.type=open and proc.name=cat
              output: "An open was seen (command=%proc.cmdline)"
              exceptions:
                - name: proc_name
                  fields: [proc.name]
                - name: proc_name_cmdline
                  fields: [proc.name, proc.cmdline]
              priority: WARNING
            """;

    @Test
    void exceptionsFollowFalcosRegressionSuite() throws IOException {
        Path cat = TestData.capture("falco_cat_write.scap");
        // rule_exception_no_values: detects.
        assertThat(count(replay(cat, load(EXCEPTION_RULE), Priority.DEBUG), "Open From Cat")).isEqualTo(8);
        // rule_exception_append_second_value / rule_exception_quoted: no detection.
        String append = """
                - rule: Open From Cat
                  exceptions:
                    - name: proc_name_cmdline
                      values:
                        - [not-cat, not-cat]
                        - [cat, "cat /dev/null"]
                  append: true
                """;
        assertThat(replay(cat, load(EXCEPTION_RULE, append), Priority.DEBUG)).isEmpty();
        String quoted = append.replace("\"cat /dev/null\"", "'\"cat /dev/null\"'");
        assertThat(replay(cat, load(EXCEPTION_RULE, quoted), Priority.DEBUG)).isEmpty();
        // rule_exception_one_value: a single-field exception with a value.
        String oneValue = """
                - rule: Open From Cat
                  desc: x
                  condition: evt.type=open and proc.name=cat
                  output: x
                  exceptions:
                    - name: proc_name
                      fields: proc.name
                      comps: in
                      values: [cat]
                  priority: WARNING
                """;
        assertThat(replay(cat, load(oneValue), Priority.DEBUG)).isEmpty();
    }

    @Test
    void aPluginOtherThanContainerIsANotice() {
        RuleSet set = load("""
                - required_plugin_versions:
                    - name: container
                      version: 0.4.0
                    - name: k8saudit
                      version: 0.7.0
                """);
        assertThat(set.warnings()).singleElement().asString().contains("requires plugin 'k8saudit'").doesNotContain("container");
    }

    @Test
    void falcosDefaultRulesLoadAndEveryRuleIsAccountedFor() throws IOException {
        Path file = TestData.root().resolve("capture/src/test/resources/falco/falco_rules.yaml");
        String text = Files.readString(file);
        long defined = Pattern.compile("(?m)^- rule:").matcher(text).results().count();
        RuleSet set = KnownEvents.loader()
                .add(file).compile();
        assertThat(set.rules().size() + set.skipped().size()).isEqualTo((int) defined);
        assertThat(set.skipped()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
        // the file requires the container plugin, whose container.* fields stasis takes from the capture
        // itself: no notice for that, and none for output fields until a rule that lacks some fires
        assertThat(set.warnings()).isEmpty();
        assertThat(set.rules()).filteredOn(r -> r.name().equals("Fileless execution via memfd_create")).singleElement()
                .satisfies(r -> assertThat(r.unsupportedOutputFields()).containsExactly("container.start_ts"));
        assertThat(set.rules().size()).isGreaterThanOrEqualTo((int) (defined * 2 / 3));
        // proc.tty, thread.cap_* and fd.name_changed are supported: every default rule loads
        assertThat(set.skipped()).extracting(SkippedRule::name).isEmpty();
        assertThat(set.rules()).extracting(r -> r.name()).contains("Disallowed SSH Connection Non Standard Port");
        // The replay runs on every shared capture without error.
        for (Path capture : TestData.captures()) replay(capture, set, Priority.DEBUG);
    }

    @Test
    void unsupportedFieldsAndUndefinedMacrosAreSkippedWithTheReason() {
        RuleSet set = load("""
                - rule: uses an unknown field
                  desc: x
                  condition: evt.type=open and proc.nosuchfield=1
                  output: x
                  priority: NOTICE
                - rule: uses an undefined macro
                  desc: x
                  condition: evt.type=open and no_such_macro
                  output: x
                  priority: NOTICE
                - rule: other source
                  desc: x
                  condition: ka.verb=create
                  output: x
                  priority: NOTICE
                  source: k8s_audit
                """);
        assertThat(set.rules()).isEmpty();
        assertThat(set.skipped()).extracting(SkippedRule::reason).satisfiesExactly(
                r -> assertThat(r).contains("unknown field 'proc.nosuchfield'"),
                r -> assertThat(r).contains("undefined macro 'no_such_macro'"),
                r -> assertThat(r).contains("source 'k8s_audit'"));
    }

    @Test
    void rulesOnEventsStasisDoesNotKnowAreSkippedOrNoted() {
        RuleSet set = KnownEvents.loader().add("r.yaml", """
                - rule: only unknown events
                  desc: x
                  condition: evt.type in (no_such_call, another_one) and evt.dir=<
                  output: x
                  priority: NOTICE
                - rule: some unknown events
                  desc: x
                  condition: evt.type in (open, no_such_call)
                  output: x
                  priority: NOTICE
                """).compile();
        assertThat(set.skipped()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("only unknown events");
            assertThat(s.reason()).isEqualTo("event types not supported: no_such_call, another_one");
        });
        assertThat(set.rules()).extracting(Rule::name).containsExactly("some unknown events");
        assertThat(set.warnings()).anyMatch(w -> w.contains("some unknown events") && w.contains("no_such_call"));
    }

    @Test
    void hostileRulesFilesFailCleanly() {
        StringBuilder bomb = new StringBuilder("- macro: m0\n  condition: evt.type=open\n");
        for (int i = 1; i <= 40; i++) {
            bomb.append("- macro: m").append(i).append("\n  condition: m").append(i - 1).append(" and m").append(i - 1).append("\n");
        }
        bomb.append("- rule: r\n  desc: x\n  condition: m40\n  output: x\n  priority: INFO\n");
        RuleSet set = load(bomb.toString());
        assertThat(set.skipped()).singleElement().extracting(SkippedRule::reason).asString().contains("too large");
        String cycle = "- macro: a\n  condition: b\n- macro: b\n  condition: a\n"
                + "- rule: r\n  desc: x\n  condition: a\n  output: x\n  priority: INFO\n";
        assertThat(load(cycle).skipped()).singleElement().extracting(SkippedRule::reason).asString().contains("refers to itself");
        StringBuilder laughs = new StringBuilder("- list: l0\n  items: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 12; i++) {
            String prev = "*a" + (i - 1);
            laughs.append("- list: l").append(i).append("\n  items: &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, prev))).append("]\n");
        }
        // Jackson does not expand YAML aliases into copies, and the loader caps them: either way no blow-up.
        try {
            RuleSet r = load(laughs.toString());
            assertThat(r.rules()).isEmpty();
        } catch (RulesException expected) {
            assertThat(expected.getMessage()).doesNotContain("\n");
        }
    }

    @Test
    void rulesAreIndexedByTheEventTypesTheyCanMatch() {
        RuleSet set = load("""
                - macro: opens
                  condition: evt.type in (open, openat)
                - rule: a
                  desc: x
                  condition: opens and proc.name=cat
                  output: x
                  priority: INFO
                - rule: b
                  desc: x
                  condition: (evt.type=close or opens) and evt.dir=<
                  output: x
                  priority: INFO
                - rule: c
                  desc: x
                  condition: not evt.type=open
                  output: x
                  priority: INFO
                - rule: d
                  desc: x
                  condition: evt.type=close or proc.name=cat
                  output: x
                  priority: INFO
                """);
        assertThat(set.rules()).extracting(Rule::eventTypes).containsExactly(
                java.util.Set.of("open", "openat"), java.util.Set.of("close", "open", "openat"), null, null);
    }

    @Test
    void aFileThatIsNotRulesIsOneClearError() {
        assertThatThrownBy(() -> load("- rule: [unclosed")).isInstanceOf(RulesException.class)
                .hasMessageContaining("not valid YAML").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> load("just: a map")).isInstanceOf(RulesException.class)
                .hasMessageContaining("YAML list");
        assertThatThrownBy(() -> new RulesLoader().add(Path.of("/nonexistent/rules.yaml")))
                .isInstanceOf(RulesException.class).hasMessageContaining("no such rules file");
    }
}
