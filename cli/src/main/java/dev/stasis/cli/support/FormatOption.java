package dev.stasis.cli.support;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The one {@code --format} option every command shares, as a picocli mixin:
 * {@code @Mixin FormatOption format = FormatOption.of("text or json", TEXT, JSON);}.
 * Each command keeps its own accepted formats, default (the first accepted) and help
 * line; the option itself, its label and the error for an unknown value
 * ({@code invalid output format: x (text or json)}, from {@link OutputFormat#oneOf})
 * are the same everywhere.
 */
public final class FormatOption {
    private final String help;
    private final List<OutputFormat> accepted;
    private final java.util.Map<String, OutputFormat> aliases = new java.util.LinkedHashMap<>();

    @Option(names = "--format", paramLabel = "FORMAT")
    private String asked;

    private FormatOption(String help, List<OutputFormat> accepted) {
        if (accepted.isEmpty()) throw new IllegalArgumentException("a command accepts at least one format");
        this.help = help;
        this.accepted = accepted;
    }

    /** The formats a command accepts, the first being its default; {@code help} is its help line. */
    public static FormatOption of(String help, OutputFormat... accepted) {
        return new FormatOption(help, List.of(accepted));
    }

    /**
     * Also accept {@code spelling} as {@code meaning}, without naming it in errors: for another
     * name of a listed format (markdown for md) or one a command always took, which scripts may use.
     */
    public FormatOption alias(String spelling, OutputFormat meaning) {
        if (!accepted.contains(meaning)) throw new IllegalArgumentException(spelling + " stands for a format the command does not accept");
        aliases.put(spelling.toLowerCase(Locale.ROOT), meaning);
        return this;
    }

    /** The formats accepted without being listed, and what each means. */
    public java.util.Map<String, OutputFormat> aliases() {
        return java.util.Collections.unmodifiableMap(aliases);
    }

    /** The format asked for, or the one-line error for a format this command does not accept. */
    public OutputFormat get() {
        OutputFormat alias = asked == null ? null : aliases.get(asked.strip().toLowerCase(Locale.ROOT));
        if (alias != null) return alias;
        return OutputFormat.oneOf(asked == null ? name(accepted.getFirst()) : asked, accepted.toArray(OutputFormat[]::new));
    }

    /** Whether JSON was asked for (and the asked format is valid). */
    public boolean json() {
        return get() == OutputFormat.JSON;
    }

    /** The formats this command accepts, its default first. */
    public List<OutputFormat> accepted() {
        return accepted;
    }

    /** The default format. */
    public OutputFormat fallback() {
        return accepted.getFirst();
    }

    /** The help line of the option. */
    public String help() {
        return help;
    }

    static String name(OutputFormat f) {
        return f.name().toLowerCase(Locale.ROOT);
    }

    /*
     * Annotations are static, so the per-command help line and default are written into the
     * option once picocli has built it: into the mixin's own spec when that is injected after
     * the option exists, else into the command's (the mixee), whichever holds it.
     */
    @Spec(Spec.Target.SELF)
    void self(CommandSpec spec) {
        describe(spec);
    }

    @Spec(Spec.Target.MIXEE)
    void mixee(CommandSpec spec) {
        describe(spec);
    }

    private void describe(CommandSpec spec) {
        OptionSpec old = spec.findOption("--format");
        if (old == null || java.util.Arrays.equals(old.description(), new String[] {help})) return;
        spec.remove(old);
        spec.addOption(OptionSpec.builder(old).description(help).defaultValue(name(fallback())).build());
    }

    @Override
    public String toString() {
        return accepted.stream().map(FormatOption::name).collect(Collectors.joining("|"));
    }
}
