package dev.stasis.capture.scap;

import java.util.List;
import java.util.Set;

/**
 * An entry of the event table: event type number, name (the syscall name, shared by
 * the enter and exit event and by every version of the event), category, flags
 * (EF_* names) and the parameters in file order.
 */
public record EventInfo(int type, String name, Set<String> categories, Set<String> flags, List<ParamInfo> params,
        int bits) {
    /** Bits of {@link #bits()}: the flags the state engine tests on every event, without a set lookup. */
    public static final int USES_FD = 1, READS_FROM_FD = 2, WRITES_TO_FD = 4, CREATES_FD = 8, LARGE_PAYLOAD = 16,
            SKIP_PARSE_RESET = 32, INTERNAL = 64, DESTROYS_FD = 128;

    public EventInfo(int type, String name, Set<String> categories, Set<String> flags, List<ParamInfo> params) {
        this(type, name, categories, flags, params, bitsOf(categories, flags));
    }

    private static int bitsOf(Set<String> categories, Set<String> flags) {
        int b = 0;
        b |= flags.contains("EF_USES_FD") ? USES_FD : 0;
        b |= flags.contains("EF_READS_FROM_FD") ? READS_FROM_FD : 0;
        b |= flags.contains("EF_WRITES_TO_FD") ? WRITES_TO_FD : 0;
        b |= flags.contains("EF_CREATES_FD") ? CREATES_FD : 0;
        b |= flags.contains("EF_LARGE_PAYLOAD") ? LARGE_PAYLOAD : 0;
        b |= flags.contains("EF_SKIPPARSERESET") ? SKIP_PARSE_RESET : 0;
        b |= categories.contains("EC_INTERNAL") ? INTERNAL : 0;
        b |= flags.contains("EF_DESTROYS_FD") ? DESTROYS_FD : 0;
        return b;
    }

    /** True if every bit of {@code mask} (EventInfo.USES_FD, ...) is set. */
    public boolean is(int mask) {
        return (bits & mask) == mask;
    }

    /** Even types are enter events, odd ones exit events. */
    public boolean isEnter() {
        return isEnter(type);
    }

    /** {@code '>'} for enter and {@code '<'} for exit, as sysdig prints %evt.dir. */
    public char direction() {
        return direction(type);
    }

    /** Whether events of this type number are enter events (known from the number alone). */
    public static boolean isEnter(int type) {
        return (type & 1) == 0;
    }

    /** The direction of events of this type number, as {@link #direction()}. */
    public static char direction(int type) {
        return isEnter(type) ? '>' : '<';
    }

    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }

    public boolean inCategory(String category) {
        return categories.contains(category);
    }

    /** Index of the parameter called {@code name}, or -1. */
    public int paramIndex(String paramName) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().equals(paramName)) {
                return i;
            }
        }
        return -1;
    }
}
