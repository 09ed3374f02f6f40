package dev.stasis.analysis.detect;

import java.util.regex.Pattern;

/**
 * The one rule for "this environment variable holds a secret" (by its name, or by a value in a
 * known credential format), and how to show it masked. STASIS-ENV-001 reports with it and
 * {@code stasis inspect} hides with it, so what one masks the other masks too.
 */
public final class SecretEnv {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH|DSN|CONN(ECTION)?_?STRING).*");
    private static final Pattern NOT_A_SECRET = Pattern.compile("(?i).*(_FILE|_PATH|_DIR|_URL_PATH|_TTL|_TIMEOUT|_LENGTH|_HEADER|_ENABLED)$");
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[baprs]-[A-Za-z0-9-]{10,}|eyJhbGciOi[A-Za-z0-9_-]{10,}\\..+|-----BEGIN [A-Z ]*PRIVATE KEY-----|[a-z]+://[^:/@\\s]+:[^@/\\s]+@.+");

    private SecretEnv() {}

    /** Whether NAME=VALUE holds a secret; a blank value holds none. */
    public static boolean isSecret(String name, String value) {
        if (name == null || value == null || value.isBlank() || !NAME.matcher(name).matches()) return false;
        boolean byName = SECRET_NAME.matcher(name).matches() && !NOT_A_SECRET.matcher(name).matches();
        return byName || SECRET_VALUE.matcher(value).matches();
    }

    /** The value as it may be shown: masked ({@link Text#mask}) when it is a secret, else unchanged. */
    public static String shown(String name, String value) {
        return isSecret(name, value) ? Text.mask(value) : value;
    }

    /** A NAME=VALUE entry as it may be shown; entries without '=' are returned unchanged. */
    public static String shownEntry(String entry) {
        if (entry == null) return null;
        int eq = entry.indexOf('=');
        if (eq <= 0) return entry;
        return entry.substring(0, eq + 1) + shown(entry.substring(0, eq), entry.substring(eq + 1));
    }
}
