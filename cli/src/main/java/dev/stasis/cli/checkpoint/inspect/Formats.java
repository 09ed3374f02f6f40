package dev.stasis.cli.checkpoint.inspect;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Value formatting shared by the inspect views, matching checkpointctl where it has a convention. */
public final class Formats {
    private Formats() {}

    /** Go's time.Format(time.RFC3339) of a UTC time: seconds, no fraction, "Z". */
    public static String rfc3339(Instant t) {
        if (t == null) return null;
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)).replace("+00:00", "Z");
    }

    /** go-criu's countBytes: "512 B", "16.0 KB", "67.5 KB". */
    public static String countBytes(long n) {
        long unit = 1024;
        if (n < unit) return n + " B";
        long div = unit;
        int exp = 0;
        for (long i = n / unit; i >= unit; i /= unit) {
            div *= unit;
            exp++;
        }
        return String.format(Locale.ROOT, "%.1f %cB", (double) n / div, "KMGTPE".charAt(exp));
    }

    /** checkpointctl's ByteToString ("7.2 MiB"). */
    public static String bytes(long b) {
        long unit = 1024;
        if (b < unit) return b + " B";
        long div = unit;
        int exp = 0;
        for (long n = b / unit; n >= unit; n /= unit) {
            div *= unit;
            exp++;
        }
        return String.format(Locale.ROOT, "%.1f %ciB", (double) b / div, "KMGTPE".charAt(exp));
    }
}
