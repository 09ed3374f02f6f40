package dev.stasis.analysis.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.analysis.AnalysisOptions;
import dev.stasis.analysis.Analyzer;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.TestData;
import dev.stasis.analysis.TestSubjects;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleTest {
    @TempDir
    Path tmp;

    static Map<String, Finding> byId(List<Finding> findings) {
        return findings.stream().collect(Collectors.toMap(Finding::id, f -> f));
    }

    @Test
    void exampleFileLoadsAndSkipsDisabledRules() {
        List<Rule> rules = RuleLoader.load(List.of(TestData.resource("rules/site-rules.yaml")));
        assertThat(rules).extracting(Rule::id).containsExactly("ACME-IRC-BOT", "ACME-TMP-SCRIPT", "ACME-MASQ", "ACME-BOT-COMMAND",
                "ACME-JUPYTER-TOKEN", "ACME-SA-TOKEN", "ACME-NO-PTRACE", "ACME-LOGS");
        assertThat(rules.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(rules.get(0).techniques()).containsExactly("T1071");
    }

    @Test
    void everySubjectKindMatchesTheHandBuiltContainer() {
        List<Finding> f = RuleEngine.run(RuleLoader.load(List.of(TestData.resource("rules/site-rules.yaml"))), TestSubjects.ircBot());
        Map<String, Finding> m = byId(f);
        assertThat(m).containsOnlyKeys("ACME-IRC-BOT", "ACME-TMP-SCRIPT", "ACME-MASQ", "ACME-BOT-COMMAND", "ACME-JUPYTER-TOKEN",
                "ACME-SA-TOKEN", "ACME-LOGS");
        assertThat(m.get("ACME-IRC-BOT").evidence().get(0).socket()).contains("10.88.0.1:6667");
        assertThat(m.get("ACME-IRC-BOT").source()).isEqualTo("rule:site-rules.yaml");
        assertThat(m.get("ACME-TMP-SCRIPT").evidence().get(0).path()).isEqualTo("/tmp/perlbot.pl");
        assertThat(m.get("ACME-MASQ").pids()).containsExactly(17);
        assertThat(m.get("ACME-BOT-COMMAND").evidence()).extracting(Evidence::excerpt).containsExactly("PRIVMSG #c2 :!exec id");
        // env values are always masked in evidence
        assertThat(m.get("ACME-JUPYTER-TOKEN").evidence().get(0).excerpt()).doesNotContain("3f1c0e2b9a7d4c55").contains("JUPYTER_TOKEN=3f…");
        assertThat(m.get("ACME-LOGS").evidence().get(0).path()).isEqualTo("/var/log/dpkg.log");
    }

    @Test
    void operatorsAnyNotAndLists() throws Exception {
        Path f = tmp.resolve("ops.yaml");
        Files.writeString(f, """
                rules:
                  - id: T-ANY
                    title: any of two
                    severity: low
                    process:
                      any:
                        - {comm: nothing}
                        - {pid: {gte: 17}}
                  - id: T-LIST
                    title: argv element
                    severity: low
                    process:
                      argv: {startswith: "--port"}
                  - id: T-NOT
                    title: not root
                    severity: low
                    process:
                      uid: {not: {equals: 0}}
                  - id: T-NUM
                    title: listening below 1024
                    severity: low
                    socket:
                      state: listen
                      local_port: {lt: 1024}
                  - id: T-EXISTS
                    title: sockets without a peer
                    severity: low
                    socket:
                      remote_address: {exists: false}
                """);
        Map<String, Finding> m = byId(RuleEngine.run(RuleLoader.loadFile(f), TestSubjects.ircBot()));
        assertThat(m.get("T-ANY").pids()).containsExactly(17);
        assertThat(m.get("T-LIST").pids()).containsExactly(7);
        assertThat(m).doesNotContainKeys("T-NOT", "T-NUM");
        assertThat(m.get("T-EXISTS").evidence()).singleElement().satisfies(e -> assertThat(e.socket()).contains("8888"));
    }

    @Test
    void mistakesAreOneLineErrorsNamingFileAndRule() throws Exception {
        assertError("rules:\n  - id: A\n    title: t\n    severity: high\n    process: {colour: red}\n", "rule 'A'", "unknown process field 'colour'");
        assertError("rules:\n  - id: A\n    title: t\n    severity: high\n    process: {comm: {like: x}}\n", "unknown operator 'like'");
        assertError("rules:\n  - id: A\n    title: t\n    severity: high\n    process: {comm: {regex: '('}}\n", "bad regex");
        assertError("rules:\n  - id: A\n    title: t\n    process: {comm: x}\n", "missing 'severity'");
        assertError("rules:\n  - id: A\n    title: t\n    severity: urgent\n    process: {comm: x}\n", "unknown severity 'urgent'");
        assertError("rules:\n  - id: A\n    title: t\n    severity: low\n", "says nothing to match");
        assertError("rules:\n  - id: A\n    title: t\n    severity: low\n    process: {comm: x}\n    socket: {state: listen}\n", "one kind of object");
        assertError("rules:\n  - id: A\n    title: t\n    severity: low\n    memory: {regex: 'a*'}\n", "matches the empty string");
        assertError("rules:\n  - id: A\n    title: t\n    severity: low\n    techniques: [X1]\n    process: {comm: x}\n", "not an ATT&CK technique id");
        assertError("rules: [\n", "not valid YAML");
        assertError("rules:\n  - id: A\n    title: t\n    severity: low\n    process: {comm: x}\n  - id: A\n    title: t\n    severity: low\n    process: {comm: y}\n", "defined twice");
    }

    private void assertError(String yaml, String... fragments) throws Exception {
        Path f = tmp.resolve("bad-" + Integer.toHexString(yaml.hashCode()) + ".yaml");
        Files.writeString(f, yaml);
        var t = assertThatThrownBy(() -> RuleLoader.load(List.of(f))).isInstanceOf(RuleFormatException.class).hasMessageNotContaining("\n");
        for (String s : fragments) t.hasMessageContaining(s);
    }

    @Test
    void rulesRunOnARealCheckpoint() {
        Report r = Analyzer.analyze(TestData.checkpoint("irc-bot.tar.zst"),
                new AnalysisOptions(List.of(), List.of(TestData.resource("rules"))), Progress.NONE);
        Map<String, Finding> m = r.findings().stream().filter(f -> f.id().startsWith("ACME-")).collect(Collectors.toMap(Finding::id, f -> f));
        // pid 17 is the bot (crit core-17: comm "[systemd]"), 10.88.0.1:6667 its C2 (crit files.img)
        assertThat(m.get("ACME-IRC-BOT").evidence().get(0).socket()).contains("-> 10.88.0.1:6667");
        assertThat(m.get("ACME-MASQ").pids()).containsExactly(17);
        assertThat(m.get("ACME-BOT-COMMAND").evidence()).extracting(Evidence::excerpt).anyMatch(x -> x.contains("PRIVMSG #c2 :!exec id"));
        assertThat(m.get("ACME-TMP-SCRIPT").evidence().get(0).path()).isEqualTo("/tmp/perlbot.pl");
        assertThat(m).containsKeys("ACME-JUPYTER-TOKEN", "ACME-SA-TOKEN").doesNotContainKeys("ACME-NO-PTRACE", "ACME-LOGS");
    }
}
