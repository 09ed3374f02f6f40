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

    /**
     * checkpointctl's ByteToString ("7.2 MiB"), for every size inspect prints. Socket buffers too:
     * go-criu prints those as "16.0 KB" for the same 1024-based value, and one unit reads better.
     */
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
