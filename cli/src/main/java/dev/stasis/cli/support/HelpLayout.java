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
        Integer columns = columns(Invocation.current().env("COLUMNS"));
        if (columns != null) {
            // a COLUMNS in the environment was exported on purpose (shells keep theirs
            // unexported), so it holds for a pipe too: `COLUMNS=200 stasis x --help | less`
            cl.setUsageHelpAutoWidth(false);
            cl.setUsageHelpWidth(columns);
        } else {
            cl.setUsageHelpWidth(DEFAULT_WIDTH);
            cl.setUsageHelpAutoWidth(true);
        }
        unwrappedFooter(cl);
    }

    /** COLUMNS as a help width, within the 55 to 2000 columns picocli takes; null when unset or not a number. */
    static Integer columns(String value) {
        if (value == null) return null;
        try {
            return Math.max(55, Math.min(Integer.parseInt(value.strip()), 2000));
        } catch (NumberFormatException e) {
            return null;
        }
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
