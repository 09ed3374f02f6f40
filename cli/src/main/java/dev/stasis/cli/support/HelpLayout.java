package dev.stasis.cli.support;

import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How help is laid out: as wide as the terminal (picocli asks it), and the
 * footer, where the examples are, printed as written. picocli wraps every
 * section at the width, which broke examples in two (a jq filter, a JDBC URL,
 * a path) so that they could no longer be pasted; a long example line is left
 * for the terminal to fold, which a copy undoes.
 */
public final class HelpLayout {
    /** Width when no terminal answers (a pipe, the background JVM): wide enough for the option tables. */
    static final int DEFAULT_WIDTH = 120;

    private HelpLayout() {}

    public static void apply(CommandLine cl) {
        cl.setUsageHelpWidth(DEFAULT_WIDTH);
        cl.setUsageHelpAutoWidth(true);
        unwrappedFooter(cl);
    }

    private static void unwrappedFooter(CommandLine cl) {
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
            StringBuilder out = new StringBuilder();
            for (String line : help.commandSpec().usageMessage().footer()) {
                out.append(help.colorScheme().text(String.format(line)).toString()).append(System.lineSeparator());
            }
            return out.toString();
        });
        for (CommandLine sub : cl.getSubcommands().values()) unwrappedFooter(sub);
    }
}
