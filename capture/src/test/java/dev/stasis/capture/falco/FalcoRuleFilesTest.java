package dev.stasis.capture.falco;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.filter.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: every rule of Falco's current default, incubating and sandbox rule
 * files (falcosecurity/rules, copied unchanged; see resources/falco/PROVENANCE.md)
 * loads, or is refused with its reason. The incubating and sandbox files build on
 * the default file's macros and lists, as Falco loads them (after falco_rules.yaml),
 * so each is loaded after it. The count of "- rule:" entries in the file itself is
 * the ground truth for how many rules there are.
 */
class FalcoRuleFilesTest {
    private static final Path DIR = TestData.root().resolve("capture/src/test/resources/falco");

    @ParameterizedTest
    @ValueSource(strings = {"falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"})
    void everyRuleLoads(String name) throws IOException {
        Path file = DIR.resolve(name);
        RulesLoader loader = KnownEvents.loader();
        Path base = DIR.resolve("falco_rules.yaml");
        if (!file.equals(base)) loader.add(base);
        RuleSet set = loader.add(file).compile();
        List<String> own = ruleNames(file);
        List<String> baseRules = file.equals(base) ? List.of() : ruleNames(base);
        assertThat(set.rules().size() + set.skipped().size()).isEqualTo(own.size() + baseRules.size());
        List<String> refused = set.skipped().stream().map(s -> s.name() + ": " + s.reason()).toList();
        // The only rules not loaded are those the file itself ships disabled (Falco does not run them either).
        assertThat(refused).as("rules of %s refused", name)
                .containsExactlyInAnyOrderElementsOf(DISABLED_IN_FILE.getOrDefault(name, List.of()).stream()
                        .map(r -> r + ": disabled (enabled: false)").toList());
        assertThat(set.rules().size()).isEqualTo(own.size() + baseRules.size() - refused.size());
        // Every field the rules print is known too (an unknown one would print <NA>).
        assertThat(set.warnings()).noneMatch(w -> w.contains("output fields not supported"));
    }

    /** Rules that falco-sandbox_rules.yaml ships with {@code enabled: false}, checked by grep of the file. */
    private static final java.util.Map<String, List<String>> DISABLED_IN_FILE = java.util.Map.of(
            "falco-sandbox_rules.yaml",
            List.of("Unexpected inbound connection source", "Read Shell Configuration File",
                    "Interpreted procs inbound network activity", "Interpreted procs outbound network activity",
                    "Unexpected K8s NodePort Connection", "Create Hidden Files or Directories",
                    "Detect outbound connections to common miner pool ports", "Container Drift Detected (chmod)",
                    "Container Drift Detected (open+create)", "Container Run as Root User",
                    "Java Process Class File Download", "Modify Container Entrypoint"));

    @org.junit.jupiter.api.Test
    void rulesShippedDisabledCompileWhenSwitchedOn() throws IOException {
        // Falco's legacy override (name + enabled) switches them on; then they must compile like the rest.
        StringBuilder enable = new StringBuilder();
        for (String r : DISABLED_IN_FILE.get("falco-sandbox_rules.yaml"))
            enable.append("- rule: ").append(r).append("\n  enabled: true\n");
        RuleSet set = KnownEvents.loader().add(DIR.resolve("falco_rules.yaml"))
                .add(DIR.resolve("falco-sandbox_rules.yaml")).add("enable.yaml", enable.toString()).compile();
        assertThat(set.skipped()).isEmpty();
        assertThat(set.rules()).extracting(Rule::name)
                .containsAll(DISABLED_IN_FILE.get("falco-sandbox_rules.yaml"));
    }

    @org.junit.jupiter.api.Test
    void disabledListMatchesTheFile() throws IOException {
        String text = Files.readString(DIR.resolve("falco-sandbox_rules.yaml"));
        // Each "- rule:" block whose own keys contain "enabled: false".
        List<String> disabled = java.util.Arrays.stream(text.split("(?m)^(?=- )"))
                .filter(b -> b.startsWith("- rule:") && Pattern.compile("(?m)^  enabled: *false").matcher(b).find())
                .map(b -> b.substring("- rule:".length(), b.indexOf('\n')).strip()).toList();
        assertThat(disabled).containsExactlyInAnyOrderElementsOf(DISABLED_IN_FILE.get("falco-sandbox_rules.yaml"));
        for (String f : List.of("falco_rules.yaml", "falco-incubating_rules.yaml"))
            assertThat(Files.readString(DIR.resolve(f))).doesNotContainPattern("(?m)^  enabled: *false");
    }

    @org.junit.jupiter.api.Test
    void listsExpandAfterModifiersAndInsideTransformers() {
        // Falco substitutes list names in the condition text, so a list works wherever a list literal does.
        String yaml = """
                - list: tmp_dirs
                  items: [/tmp, /dev/shm]
                - rule: Write below a tmp dir
                  desc: modifier with a list
                  condition: evt.type = open and fd.name startswith anyof (tmp_dirs) and concat(proc.name, "x") != "x"
                  output: "%fd.name by %proc.name"
                  priority: NOTICE
                - rule: Shell with -c
                  desc: getopt over a list
                  condition: evt.type = execve and getopt(("-c", proc.name), "c:") intersects ("c")
                  output: "%proc.cmdline"
                  priority: NOTICE
                """;
        RuleSet set = KnownEvents.loader().add("modifiers.yaml", yaml).compile();
        assertThat(set.skipped()).isEmpty();
        assertThat(set.rules()).extracting(Rule::name).containsExactly("Write below a tmp dir", "Shell with -c");
    }

    private static List<String> ruleNames(Path file) throws IOException {
        return Pattern.compile("(?m)^- rule: *(.+?) *$").matcher(Files.readString(file)).results()
                .map(m -> m.group(1)).toList();
    }
}
