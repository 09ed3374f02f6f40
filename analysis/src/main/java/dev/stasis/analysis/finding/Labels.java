package dev.stasis.analysis.finding;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The lower-case labels of the rating enums ({@link Severity}, {@link Confidence}) as reports and rules write them. */
final class Labels {
    private Labels() {}

    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The constant a label names, in any case; otherwise an error listing the labels ("low, medium or high"). */
    static <E extends Enum<E>> E parse(Class<E> type, String label, String what) {
        try {
            return Enum.valueOf(type, label.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            List<String> all = Arrays.stream(type.getEnumConstants()).map(Labels::label).toList();
            String expected = String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.getLast();
            throw new IllegalArgumentException("unknown " + what + " '" + label + "' (expected " + expected + ")");
        }
    }
}
