package dev.stasis.analysis.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How risky each Linux capability is in a container. Names and numbers come from the
 * checkpoint module's table (linux/capability.h); here they are used without "CAP_".
 */
public final class Capabilities {
    /** What each dangerous capability lets an intruder do; high-risk ones open a way to the host. */
    static final Map<String, String> HIGH_RISK = Map.of(
            "SYS_ADMIN", "mount filesystems, use many kernel interfaces; the classic container escape",
            "SYS_MODULE", "load kernel modules: full control of the node",
            "SYS_RAWIO", "raw I/O to devices and memory",
            "SYS_PTRACE", "trace and inject code into other processes",
            "DAC_READ_SEARCH", "open host files by handle (the 'shocker' escape)",
            "BPF", "load eBPF programs into the node's kernel",
            "SYS_BOOT", "reboot the node");
    static final Map<String, String> MEDIUM_RISK = Map.of(
            "NET_ADMIN", "reconfigure networking, sniff or redirect traffic",
            "NET_RAW", "craft raw packets (spoofing, ARP poisoning)",
            "PERFMON", "read kernel performance data",
            "SYS_TIME", "change the node's clock",
            "MAC_ADMIN", "change the node's MAC policy",
            "SYSLOG", "read the kernel log",
            "SYS_RESOURCE", "override resource limits",
            "LINUX_IMMUTABLE", "change immutable file flags",
            "CHECKPOINT_RESTORE", "checkpoint/restore other processes");
    /** Granted by default by Docker, Podman and containerd: not findings on their own. */
    static final Set<String> DEFAULTS = Set.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "NET_BIND_SERVICE",
            "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT", "MKNOD", "AUDIT_WRITE", "NET_RAW");

    private Capabilities() {}

    /** "CAP_SYS_PTRACE" or "sys_ptrace" -> "SYS_PTRACE". */
    public static String normalise(String name) {
        String n = name.trim().toUpperCase(java.util.Locale.ROOT);
        return n.startsWith("CAP_") ? n.substring(4) : n;
    }

    /** The bit number of a capability name ("CAP_SYS_PTRACE" -> 19), or -1. */
    public static int bit(String name) {
        String n = normalise(name);
        for (int i = 0; i < Long.SIZE; i++) if (known(i) && name(i).equals(n)) return i;
        return -1;
    }

    /** Names of the bits set in a capability mask ("SYS_PTRACE"; "CAP_41" for a bit the table does not know). */
    public static List<String> names(long mask) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Long.SIZE; i++) {
            if ((mask & (1L << i)) != 0) out.add(known(i) ? name(i) : "CAP_" + i);
        }
        return out;
    }

    private static String name(int bit) {
        return normalise(dev.stasis.checkpoint.container.Capabilities.name(bit));
    }

    /** The table names every capability it knows; any other bit comes back as "CAP_<bit>". */
    private static boolean known(int bit) {
        return !dev.stasis.checkpoint.container.Capabilities.name(bit).equals("CAP_" + bit);
    }
}
