package dev.stasis.checkpoint.model;

import java.util.List;

/**
 * A task's credentials from {@code core-<pid>.img} ({@code thread_core.creds}).
 *
 * @param uids           real, effective, saved, filesystem uid
 * @param gids           real, effective, saved, filesystem gid
 * @param groups         supplementary groups
 * @param capEffective   capability names of the effective set ("CAP_SYS_PTRACE")
 * @param seccompMode    0 disabled, 1 strict, 2 filter
 * @param noNewPrivs     the no_new_privs bit
 * @param securebits     the securebits word
 */
public record Credentials(
        List<Long> uids,
        List<Long> gids,
        List<Long> groups,
        List<String> capInheritable,
        List<String> capPermitted,
        List<String> capEffective,
        List<String> capBounding,
        List<String> capAmbient,
        int seccompMode,
        boolean noNewPrivs,
        long securebits,
        String lsmProfile) {
    public Credentials {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
        groups = List.copyOf(groups);
        capInheritable = List.copyOf(capInheritable);
        capPermitted = List.copyOf(capPermitted);
        capEffective = List.copyOf(capEffective);
        capBounding = List.copyOf(capBounding);
        capAmbient = List.copyOf(capAmbient);
    }

    public String seccompName() {
        return switch (seccompMode) {
            case 0 -> "disabled";
            case 1 -> "strict";
            case 2 -> "filter";
            default -> "unknown(" + seccompMode + ")";
        };
    }
}
