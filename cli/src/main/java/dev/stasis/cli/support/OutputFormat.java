package dev.stasis.cli.support;

/** Output formats shared by the commands; each command documents which it supports. */
public enum OutputFormat {
    TABLE, TREE, TEXT, JSON, HTML, MD;

    /** picocli converter that accepts lower-case names. */
    public static OutputFormat parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
