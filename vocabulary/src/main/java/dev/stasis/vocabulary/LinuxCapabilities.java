package dev.stasis.vocabulary;

import java.util.List;

/**
 * Linux capability names by bit number (include/uapi/linux/capability.h), the one
 * table: CRIU's images (checkpoint) and libsinsp's thread fields (capture) number
 * capabilities the same way. How a set is rendered stays with each format's reader.
 */
public final class LinuxCapabilities {
    /** Bit n is capability n. */
    public static final List<String> NAMES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    private LinuxCapabilities() {}

    /** True when the table names bit {@code bit}. */
    public static boolean known(int bit) {
        return bit >= 0 && bit < NAMES.size();
    }

    /** The capability's name, or {@code CAP_<bit>} for a bit the table does not know. */
    public static String name(int bit) {
        return known(bit) ? NAMES.get(bit) : "CAP_" + bit;
    }
}
