package dev.stasis.cli.support;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Every option that takes a length of time ({@code --duration}, {@code --deadline}):
 * {@code 500ms}, {@code 30s}, {@code 1.5m}, {@code 1h}, {@code 2d}, plain seconds, or
 * an ISO-8601 duration ({@code PT90S}). Zero and negative lengths are refused.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(v);
        Duration d;
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            double ms = n * switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> 1;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                case "d" -> 86_400_000;
                default -> 1000;
            };
            d = Duration.ofMillis((long) ms);
        } else {
            try {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (use 500ms, 30s, 5m, 1h or 2d)");
            }
        }
        if (d.isZero() || d.isNegative()) throw new CommandLine.TypeConversionException("a duration must be positive, not '" + value + "'");
        return d;
    }
}
