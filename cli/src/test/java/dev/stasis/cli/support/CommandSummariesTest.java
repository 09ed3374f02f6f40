package dev.stasis.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.cli.Main;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The first description line is the command's summary: the one `stasis --help` and a group's
 * help list. It must be one whole sentence ("export … the public key," read as a cut-off line).
 */
class CommandSummariesTest {
    @Test
    void everyCommandsSummaryIsOneCompleteSentence() {
        List<String> bad = new ArrayList<>();
        Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int[] count = {0};
        walk(Main.commandLine(new String[0]), "", seen, bad, count);
        assertThat(count[0]).as("commands walked").isGreaterThan(40);
        assertThat(bad).isEmpty();
    }

    private static void walk(CommandLine cl, String parent, Set<CommandLine> seen, List<String> bad, int[] count) {
        if (!seen.add(cl)) return; // aliases map to the same command line
        count[0]++;
        String name = (parent + " " + cl.getCommandName()).strip();
        String[] d = cl.getCommandSpec().usageMessage().description();
        String first = d.length == 0 ? "" : d[0].strip();
        if (!first.endsWith(".")) bad.add(name + ": summary does not end with '.': " + first);
        if (!balanced(first)) bad.add(name + ": unbalanced parenthesis in summary: " + first);
        for (CommandLine sub : cl.getSubcommands().values()) walk(sub, name, seen, bad, count);
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '(') depth++;
            if (c == ')' && --depth < 0) return false;
        }
        return depth == 0;
    }
}
