package dev.stasis.capture.filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** golden-filters/known-deviations.txt: documented differences from sysdig 0.29.3, each with its cause. */
final class KnownDeviations {
    record Entry(String capture, Set<String> events, List<String> fields, String reason) {}

    private static final List<Entry> ENTRIES = load();

    private KnownDeviations() {}

    private static List<Entry> load() {
        try {
            List<Entry> out = new ArrayList<>();
            for (String line : Files.readAllLines(TestData.golden("known-deviations.txt"))) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split("\t");
                out.add(new Entry(f[0], Set.of(f[1].split(",")), List.of(f[2].split(",")), f[3]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a field of an event is a documented deviation; {@code typechar} is sysdig's fd.typechar there. */
    static boolean field(String capture, String event, String field, String typechar) {
        for (Entry e : ENTRIES) {
            if (!e.capture().equals(capture) || !e.fields().contains(field)) continue;
            if (e.events().contains(event) || (e.events().contains("unix") && "u".equals(typechar))) return true;
        }
        return false;
    }

    /** The events to leave out when comparing a filter's selection: those whose deviating fields it names. */
    static Set<Long> forFilter(String capture, String filter) {
        java.util.HashSet<Long> out = new java.util.HashSet<>();
        for (Entry e : ENTRIES) {
            if (!e.capture().equals(capture)) continue;
            if (e.fields().stream().noneMatch(filter::contains)) continue;
            for (String ev : e.events()) if (!ev.equals("unix")) out.add(Long.parseLong(ev));
        }
        return out;
    }
}
