package dev.stasis.memory.artefacts;

import java.util.Locale;
import java.util.Set;

/** URLs with credentials in their user-info part ({@code scheme://user:password@host}). */
final class Urls {
    private Urls() {}

    /** Schemes of database and message-broker connection strings. */
    static final Set<String> DATABASE_SCHEMES = Set.of("postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis",
            "rediss", "amqp", "amqps", "sqlserver", "mssql", "oracle", "cockroachdb", "clickhouse", "jdbc:postgresql", "jdbc:mysql");

    /** The URL starting at {@code schemeStart} whose "://" is at {@code sep}, if it has user:password@host; else null. */
    static String parse(byte[] b, int schemeStart, int sep, int limit) {
        int i = sep + 3, userStart = i;
        while (i < limit && i - userStart <= 64 && userChar(b[i])) i++;
        if (i == userStart || i >= limit || b[i] != ':') return null;
        int passStart = ++i;
        while (i < limit && i - passStart <= 128 && passChar(b[i])) i++;
        if (i == passStart || i >= limit || b[i] != '@') return null;
        int hostStart = ++i;
        while (i < limit && i - hostStart <= 253 && hostChar(b[i])) i++;
        if (i - hostStart < 1) return null;
        String host = new String(b, hostStart, i - hostStart, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!host.matches("(?:\\[[0-9a-fA-F:]+]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)")) return null;
        while (i < limit && i - hostStart <= 1024 && restChar(b[i])) i++;
        String pass = new String(b, passStart, i - passStart, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (pass.startsWith("%s") || pass.startsWith("{") || pass.startsWith("$")) return null;   // format strings and templates
        return new String(b, schemeStart, i - schemeStart, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Where the scheme before "://" at {@code sep} starts, or -1 when there is no plausible scheme. */
    static int schemeStart(byte[] b, int from, int sep) {
        int i = sep;
        while (i > from && sep - i < 20 && schemeChar(b[i - 1])) i--;
        if (i == sep || !Character.isLetter(b[i])) return -1;
        return i;
    }

    static String scheme(String url) {
        return url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT);
    }

    static boolean isDatabase(String url) {
        return DATABASE_SCHEMES.contains(scheme(url));
    }

    /** The URL with the password replaced by stars. */
    static String withoutPassword(String url) {
        int sep = url.indexOf("://");
        int at = url.indexOf('@', sep + 3);
        int colon = url.indexOf(':', sep + 3);
        if (sep < 0 || at < 0 || colon < 0 || colon > at) return url;
        return url.substring(0, colon + 1) + "****" + url.substring(at);
    }

    private static boolean schemeChar(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-' || c == ':';
    }

    private static boolean userChar(byte c) {
        return c > 0x20 && c < 0x7f && c != ':' && c != '/' && c != '@' && c != '"' && c != '\'' && c != '<' && c != '>' && c != '\\';
    }

    private static boolean passChar(byte c) {
        return c > 0x20 && c < 0x7f && c != '/' && c != '@' && c != '"' && c != '\'' && c != '<' && c != '>' && c != '\\';
    }

    private static boolean hostChar(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '[' || c == ']' || c == ':' && false;
    }

    private static boolean restChar(byte c) {
        return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' && c != '\\';
    }
}
