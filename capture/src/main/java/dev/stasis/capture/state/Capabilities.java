package dev.stasis.capture.state;

import dev.stasis.vocabulary.LinuxCapabilities;
import java.util.List;

/**
 * Linux capability names by bit number, and libsinsp's rendering of a capability
 * set (thread.cap_effective etc.): the names of the set bits, lowest first,
 * separated by one space; "" for an empty set. Bits beyond the known names are
 * left out, as libsinsp does.
 */
public final class Capabilities {
    /** Bit n is capability n (the shared table, vocabulary LinuxCapabilities). */
    public static final List<String> NAMES = LinuxCapabilities.NAMES;

    private Capabilities() {
    }

    public static String toString(long set) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < NAMES.size(); i++) {
            if ((set & (1L << i)) != 0) {
                if (!b.isEmpty()) {
                    b.append(' ');
                }
                b.append(NAMES.get(i));
            }
        }
        return b.toString();
    }
}
