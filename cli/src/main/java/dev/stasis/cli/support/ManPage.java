package dev.stasis.cli.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A command's manual page in man(7) troff, made from the same picocli model as its
 * {@code --help}: NAME, SYNOPSIS, DESCRIPTION, the parameters and options, the
 * commands of a group, and the examples (the help's footer) unfilled, so that they
 * can be pasted. picocli-codegen's ManPageGenerator writes AsciiDoc, which needs
 * asciidoctor to become a man page; this writes the page itself.
 */
public final class ManPage {
    private ManPage() {}

    /** The page of {@code cl}'s command, section 1, named after its qualified name ({@code stasis-capture-events}). */
    public static String render(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        String name = pageName(spec);
        StringBuilder t = new StringBuilder();
        t.append(".TH \"").append(escape(name.toUpperCase(java.util.Locale.ROOT))).append("\" 1 \"")
                .append(LocalDate.now(ZoneOffset.UTC).getYear()).append("\" \"")
                .append(escape(spec.root().version().length > 0 ? spec.root().version()[0] : "stasis")).append("\" \"stasis manual\"\n");
        t.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(firstLine(spec))).append('\n');
        t.append(".SH SYNOPSIS\n.nf\n").append(escape(synopsis(cl))).append("\n.fi\n");
        String[] description = spec.usageMessage().description();
        if (description.length > 0) {
            t.append(".SH DESCRIPTION\n");
            for (String line : description) t.append(".PP\n").append(escape(format(line))).append('\n');
        }
        List<PositionalParamSpec> params = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!params.isEmpty()) {
            t.append(".SH PARAMETERS\n");
            for (PositionalParamSpec p : params) {
                t.append(".TP\n.I ").append(escape(p.paramLabel())).append('\n').append(escape(text(p.description()))).append('\n');
            }
        }
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            t.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                t.append(".TP\n.B ").append(escape(String.join(", ", o.names())));
                if (o.arity().max() > 0) t.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
                t.append('\n').append(escape(text(o.description()).replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue())))).append('\n');
            }
        }
        List<Map.Entry<String, CommandLine>> subs = visibleSubcommands(cl);
        if (!subs.isEmpty()) {
            t.append(".SH COMMANDS\n");
            for (Map.Entry<String, CommandLine> e : subs) {
                t.append(".TP\n.B ").append(escape(e.getKey())).append('\n')
                        .append(escape(firstLine(e.getValue().getCommandSpec()))).append("\nSee \\fB")
                        .append(escape(pageName(e.getValue().getCommandSpec()))).append("\\fR(1).\n");
            }
        }
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0 && !String.join("", footer).isBlank()) {
            // the examples as written: no filling, no hyphenation, so that they paste
            t.append(".SH EXAMPLES\n.nf\n");
            for (String line : footer) {
                String l = format(line);
                if (l.strip().equals("Examples:")) continue;
                t.append(escape(l)).append('\n');
            }
            t.append(".fi\n");
        }
        if (spec.parent() != null) t.append(".SH SEE ALSO\n\\fB").append(escape(pageName(spec.parent()))).append("\\fR(1)\n");
        return t.toString();
    }

    /** Writes the page of {@code cl}'s command and of every command under it into {@code dir}; returns the files. */
    public static List<Path> writeAll(CommandLine cl, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path page = dir.resolve(pageName(cl.getCommandSpec()) + ".1");
        Files.writeString(page, render(cl), StandardCharsets.UTF_8);
        written.add(page);
        for (Map.Entry<String, CommandLine> e : visibleSubcommands(cl)) written.addAll(writeAll(e.getValue(), dir));
        return written;
    }

    /** stasis, stasis-inspect, stasis-capture-events. */
    public static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    private static List<Map.Entry<String, CommandLine>> visibleSubcommands(CommandLine cl) {
        List<Map.Entry<String, CommandLine>> subs = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            CommandSpec s = e.getValue().getCommandSpec();
            // an alias maps to the same command: one page, under its name
            if (!e.getKey().equals(s.name()) || s.usageMessage().hidden() || e.getKey().equals("help")) continue;
            subs.add(e);
        }
        return subs;
    }

    private static String synopsis(CommandLine cl) {
        CommandLine.Help help = new CommandLine.Help(cl.getCommandSpec(), CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        return help.synopsis(0).strip().replaceAll("\\s*\\n\\s*", " ");
    }

    private static String firstLine(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        return d.length == 0 ? "" : format(d[0]);
    }

    private static String text(String[] lines) {
        return format(String.join(" ", lines));
    }

    /** picocli's %n and %% in descriptions. */
    private static String format(String s) {
        return s.replace("%n", "\n").replace("%%", "%");
    }

    /** troff: a backslash doubled, a line that would start a request made literal, hyphens kept as hyphens. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (String line : s.replace("\\", "\\e").replace("-", "\\-").split("\n", -1)) {
            if (out.length() > 0) out.append('\n');
            if (line.startsWith(".") || line.startsWith("'")) out.append("\\&");
            out.append(line);
        }
        return out.toString();
    }
}
