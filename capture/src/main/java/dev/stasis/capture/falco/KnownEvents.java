package dev.stasis.capture.falco;

import dev.stasis.capture.scap.EventTable;
import java.util.HashSet;
import java.util.Set;

/**
 * The evt.type names stasis can see in a capture: every event of the event
 * table, and every syscall name a generic "syscall" event can carry.
 */
public final class KnownEvents {
    private static final Set<String> NAMES = load();

    private KnownEvents() {}

    private static Set<String> load() {
        EventTable table = EventTable.get();
        Set<String> names = new HashSet<>();
        for (int t = 0; t < table.size(); t++) {
            String name = table.name(t);
            if (name != null) names.add(name);
        }
        for (int code = 0; code < 4096; code++) {
            String name = table.syscallName(code);
            if (name != null && !name.isEmpty() && !name.startsWith("<")) names.add(name);
        }
        return Set.copyOf(names);
    }

    public static boolean known(String name) {
        return NAMES.contains(name);
    }

    /** A loader that checks rules' event types against stasis's tables. */
    public static RulesLoader loader() {
        return new RulesLoader(dev.stasis.capture.filter.FieldRegistry.standard(), KnownEvents::known);
    }
}
