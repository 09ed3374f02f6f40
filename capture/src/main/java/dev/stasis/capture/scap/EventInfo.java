package dev.stasis.capture.scap;

import java.util.List;
import java.util.Set;

/**
 * An entry of the event table: event type number, name (the syscall name, shared by
 * the enter and exit event and by every version of the event), category, flags
 * (EF_* names) and the parameters in file order.
 */
public record EventInfo(int type, String name, Set<String> categories, Set<String> flags, List<ParamInfo> params) {

    /** Even types are enter events, odd ones exit events. */
    public boolean isEnter() {
        return (type & 1) == 0;
    }

    /** {@code '>'} for enter and {@code '<'} for exit, as sysdig prints %evt.dir. */
    public char direction() {
        return isEnter() ? '>' : '<';
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
