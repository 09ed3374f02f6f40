package dev.stasis.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A command whose subcommands its row lists (capture) is built with only the subcommand a command
 * line names, and with all of them otherwise: what `stasis capture --help` lists and what a
 * subcommand parses must not depend on which tree was built.
 */
class SubcommandTreeTest {
    private static final List<String> CAPTURE = List.of("info", "events", "stats", "conversations", "follow", "timeline", "rules", "record");

    @Test
    void aCommandLineNamingASubcommandBuildsOnlyThatOne() {
        assertThat(capture(Main.commandLine(new String[] {"capture", "events", "x.scap"})).getSubcommands().keySet())
                .containsExactly("events");
        assertThat(capture(Main.commandLine(new String[] {"capture", "record", "--pid", "1"})).getSubcommands().keySet())
                .containsExactly("record");
    }

    @Test
    void helpAnUnknownNameOrNoSubcommandBuildAllInHelpOrder() {
        for (String[] args : List.of(new String[] {"capture"}, new String[] {"capture", "--help"}, new String[] {"capture", "nope"},
                new String[0], new String[] {"help", "capture"})) {
            assertThat(capture(Main.commandLine(args)).getSubcommands().keySet()).as(String.join(" ", args)).containsExactlyElementsOf(CAPTURE);
        }
    }

    @Test
    void aSubcommandsHelpIsTheSameInEitherTree() {
        for (String sub : CAPTURE) {
            String alone = usage(capture(Main.commandLine(new String[] {"capture", sub})).getSubcommands().get(sub));
            String whole = usage(capture(Main.commandLine(new String[0])).getSubcommands().get(sub));
            assertThat(alone).as(sub).isEqualTo(whole).contains("Usage: stasis capture " + sub);
        }
    }

    private static CommandLine capture(CommandLine root) {
        return root.getSubcommands().get("capture");
    }

    private static String usage(CommandLine cl) {
        StringWriter w = new StringWriter();
        cl.usage(new PrintWriter(w), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }
}
