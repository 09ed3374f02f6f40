package dev.stasis.cli.support;

/** Output formats shared by the commands; each command documents which it supports. */
public enum OutputFormat {
    TABLE, TREE, TEXT, JSON, YAML, HTML, MD, TIMELINE;

    /**
     * The format a command was asked for, when it is one of those it supports; else the
     * one-line error every command gives: {@code invalid output format: x (text or json)}.
     */
    public static OutputFormat oneOf(String asked, OutputFormat... supported) {
        for (OutputFormat f : supported) if (f.name().equalsIgnoreCase(asked.strip())) return f;
        throw new IllegalArgumentException("invalid output format: " + asked + " ("
                + String.join(" or ", java.util.Arrays.stream(supported).map(f -> f.name().toLowerCase(java.util.Locale.ROOT)).toList()) + ")");
    }

    /** picocli converter that accepts lower-case names. */
    public static OutputFormat parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
