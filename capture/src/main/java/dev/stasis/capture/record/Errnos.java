package dev.stasis.capture.record;

import dev.stasis.capture.scap.EventTable;
import java.util.HashMap;
import java.util.Map;

/** Errno names strace prints, to numbers (from the event table's errno names). */
final class Errnos {
    private static final Map<String, Integer> BY_NAME = load();

    private Errnos() {}

    private static Map<String, Integer> load() {
        Map<String, Integer> m = new HashMap<>();
        EventTable t = EventTable.get();
        for (int i = 1; i < 4096; i++) {
            String n = t.errnoName(i);
            if (n != null) {
                m.putIfAbsent(n, i);
            }
        }
        // names strace uses for the kernel-internal codes a traced call can show
        m.putIfAbsent("ERESTARTSYS", 512);
        m.putIfAbsent("ERESTARTNOINTR", 513);
        m.putIfAbsent("ERESTARTNOHAND", 514);
        m.putIfAbsent("ERESTART_RESTARTBLOCK", 516);
        return m;
    }

    /** The errno number for a name such as ENOENT; 1 (EPERM) if unknown, so the result stays a failure. */
    static int number(String name) {
        return BY_NAME.getOrDefault(name, 1);
    }
}
