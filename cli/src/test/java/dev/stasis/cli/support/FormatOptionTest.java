package dev.stasis.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.cli.Main;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every {@code --format} in the command tree is the {@link FormatOption} mixin, and what each
 * command accepts (its default first) is written out below: changing a command's formats, or
 * adding a command with {@code --format}, means changing this table, so the change is seen.
 */
class FormatOptionTest {
    /** Command → accepted formats, default first, as they are documented in each command's help. */
    private static final Map<String, String> ACCEPTED = Map.ofEntries(
            Map.entry("act", "text|json"),
            Map.entry("analyze", "text|json|md|html|timeline"),
            Map.entry("capture conversations", "text|json"),
            Map.entry("capture events", "text|json"),
            Map.entry("capture follow", "text|json"),
            Map.entry("capture info", "text|json"),
            Map.entry("capture record", "text|json"),
            Map.entry("capture rules", "text|json"),
            Map.entry("capture stats", "text|json"),
            Map.entry("capture timeline", "text|json"),
            Map.entry("case add", "text|json"),
            Map.entry("case create", "text|json"),
            Map.entry("case list", "text|json"),
            Map.entry("case note", "text|json"),
            Map.entry("case show", "text|json"),
            Map.entry("case tag", "text|json"),
            Map.entry("coredump", "text|json"),
            Map.entry("crit decode", "text|json"),
            Map.entry("crit info", "text|json"),
            Map.entry("diff", "text|json"),
            Map.entry("evidence add", "text|json"),
            Map.entry("evidence export", "text|json"),
            Map.entry("evidence get", "text|json"),
            Map.entry("evidence keygen", "text|json"),
            Map.entry("evidence list", "text|json"),
            Map.entry("evidence log", "text|json"),
            Map.entry("evidence show", "text|json"),
            Map.entry("evidence verify", "text|json"),
            Map.entry("extract", "text|json"),
            Map.entry("inspect", "tree|json"),
            Map.entry("list", "table|json"),
            Map.entry("memory", "table|json"),
            Map.entry("memory artefacts", "text|json"),
            Map.entry("memory maps", "table|json"),
            Map.entry("memory search", "table|json"),
            Map.entry("memory strings", "text|json"),
            Map.entry("policy check", "text|json"),
            Map.entry("policy test", "text|json"),
            Map.entry("sandbox image", "text|json"),
            Map.entry("sandbox manifest", "yaml|json"),
            Map.entry("sandbox run", "text|json"),
            Map.entry("show", "table|json"));

    /** Every command of the tree with --format, by its name under stasis, and its mixin. */
    private static Map<String, FormatOption> formatsInTree() {
        Map<String, FormatOption> found = new TreeMap<>();
        walk(Main.commandLine(new String[0]), found);
        return found;
    }

    private static void walk(CommandLine cl, Map<String, FormatOption> found) {
        CommandSpec spec = cl.getCommandSpec();
        OptionSpec option = spec.findOption("--format");
        if (option != null) {
            String name = spec.qualifiedName(" ").replaceFirst("^stasis ", "");
            FormatOption mixin = spec.mixins().values().stream()
                    .map(CommandSpec::userObject).filter(FormatOption.class::isInstance).map(FormatOption.class::cast)
                    .findFirst().orElse(null);
            assertThat(mixin).as(name + " declares --format itself instead of @Mixin FormatOption").isNotNull();
            // the per-command help line and default reached the option the command shows
            assertThat(option.description()).as(name)
                    .containsExactly(mixin.help().replace("${DEFAULT-VALUE}", FormatOption.name(mixin.fallback())));
            assertThat(option.defaultValue()).as(name).isEqualTo(FormatOption.name(mixin.fallback()));
            assertThat(option.paramLabel()).as(name).isEqualTo("FORMAT");
            found.put(name, mixin);
        }
        for (CommandLine sub : cl.getSubcommands().values()) walk(sub, found);
    }

    @Test
    void everyFormatOptionIsTheMixinAndAcceptsWhatTheTableSays() {
        Map<String, String> actual = formatsInTree().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString(), (a, b) -> a, TreeMap::new));
        assertThat(actual).isEqualTo(new TreeMap<>(ACCEPTED));
    }

    @Test
    void eachCommandRejectsWhatItDoesNotAcceptWithTheOneLineError() {
        formatsInTree().forEach((name, f) -> {
            assertThat(f.get()).as(name + " default").isEqualTo(f.fallback());
        });
        // a fresh tree per parse: commands keep state
        assertThatThrownBy(() -> parsed("inspect", "--format", "table").get())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid output format: table (tree or json)");
        assertThatThrownBy(() -> parsed("sandbox manifest", "--format", "text").get())
                .hasMessage("invalid output format: text (yaml or json)");
        assertThatThrownBy(() -> parsed("analyze", "--format", "pdf").get())
                .hasMessage("invalid output format: pdf (text or json or md or html or timeline)");
        assertThat(parsed("capture events", "--format", " JSON").get()).isEqualTo(OutputFormat.JSON);
    }

    @Test
    void spellingsCommandsAlwaysTookStillWork() {
        assertThat(parsed("analyze", "--format", "markdown").get()).isEqualTo(OutputFormat.MD);
        assertThat(parsed("analyze", "--format", "jsonl").get()).isEqualTo(OutputFormat.TIMELINE);
        assertThat(parsed("analyze", "--format", "txt").get()).isEqualTo(OutputFormat.TEXT);
        assertThat(parsed("evidence list", "--format", "table").get()).isEqualTo(OutputFormat.TEXT);
        assertThatThrownBy(() -> parsed("list", "--format", "markdown").get())
                .hasMessage("invalid output format: markdown (table or json)");
    }

    /** The --format of {@code command} after parsing only that option (parse errors for missing arguments are ignored). */
    private static FormatOption parsed(String command, String... args) {
        CommandLine root = Main.commandLine(new String[0]);
        CommandLine cl = root;
        for (String word : command.split(" ")) cl = cl.getSubcommands().get(word);
        try {
            root.parseArgs(java.util.stream.Stream.concat(java.util.Arrays.stream(command.split(" ")), java.util.Arrays.stream(args))
                    .toArray(String[]::new));
        } catch (CommandLine.ParameterException missingArgument) {
            // picocli has set the options by the time it checks for required parameters
        }
        return cl.getCommandSpec().mixins().values().stream().map(CommandSpec::userObject)
                .filter(FormatOption.class::isInstance).map(FormatOption.class::cast).findFirst().orElseThrow();
    }

    @Test
    void anAliasMustStandForAFormatTheCommandAccepts() {
        assertThatThrownBy(() -> FormatOption.of("text or json", OutputFormat.TEXT, OutputFormat.JSON).alias("md", OutputFormat.MD))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A mixin is one per command instance: two commands do not share the asked value. */
    @Test
    void theMixinIsPerCommand() {
        class Probe { @Mixin FormatOption format = FormatOption.of("x", OutputFormat.TABLE, OutputFormat.JSON); }
        Probe a = new Probe(), b = new Probe();
        new CommandLine(a).parseArgs("--format", "json");
        new CommandLine(b).parseArgs();
        assertThat(a.format.get()).isEqualTo(OutputFormat.JSON);
        assertThat(b.format.get()).isEqualTo(OutputFormat.TABLE);
    }
}
