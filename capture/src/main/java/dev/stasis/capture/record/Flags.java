package dev.stasis.capture.record;

import dev.stasis.capture.scap.EventTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flag lists as strace prints them ({@code O_WRONLY|O_CREAT}) to the driver's
 * encodings: the event table's flag tables where the driver translates (PPM_O_*,
 * PPM_CL_*, ...), Linux values where it passes them through (socket types).
 */
final class Flags {
    private Flags() {}

    private static final Map<String, Map<String, Long>> TABLES = new HashMap<>();

    private static synchronized Map<String, Long> table(String name) {
        return TABLES.computeIfAbsent(name, n -> {
            Map<String, Long> m = new HashMap<>();
            for (Map.Entry<String, Long> e : EventTable.get().flagTable(n)) {
                m.putIfAbsent(e.getKey(), e.getValue());
            }
            return m;
        });
    }

    /** The OR of the table values of the names in {@code arg}; names the table lacks are dropped. */
    static long ppm(String table, String arg) {
        Map<String, Long> t = table(table);
        long v = 0;
        for (String f : StraceArgs.flags(arg)) {
            Long x = t.get(f);
            if (x != null) {
                v |= x;
            }
        }
        return v;
    }

    /** A single enumerated name ({@code AF_INET}, {@code PTRACE_ATTACH}) by its table value, or the number. */
    static long one(String table, String arg) {
        Long x = table(table).get(arg.strip());
        return x != null ? x : StraceArgs.number(arg, 0);
    }

    /** open(2) flags as the driver encodes them; O_RDONLY is 1 there. */
    static long open(String arg) {
        long v = ppm("file_flags", arg);
        return v == 0 ? 1 : v;
    }

    /** Linux open flags (fdinfo's octal "flags:") to PPM_O_*. */
    static int openFlags(long f) {
        int v = switch ((int) (f & 3)) {
            case 1 -> 2;
            case 2 -> 3;
            default -> 1;
        };
        if ((f & 0100) != 0) v |= 4;
        if ((f & 02000) != 0) v |= 8;
        if ((f & 010000) != 0) v |= 16;
        if ((f & 0200) != 0) v |= 32;
        if ((f & 04000) != 0) v |= 64;
        if ((f & 04010000) == 04010000) v |= 128;
        if ((f & 01000) != 0) v |= 256;
        if ((f & 040000) != 0) v |= 512;
        if ((f & 0200000) != 0) v |= 1024;
        if ((f & 0100000) != 0) v |= 2048;
        if ((f & 02000000) != 0) v |= 4096;
        return v;
    }

    private static final Map<String, Long> SOCK_TYPES = Map.of("SOCK_STREAM", 1L, "SOCK_DGRAM", 2L, "SOCK_RAW", 3L,
            "SOCK_RDM", 4L, "SOCK_SEQPACKET", 5L, "SOCK_PACKET", 10L, "SOCK_CLOEXEC", 0x80000L, "SOCK_NONBLOCK", 0x800L);
    private static final Map<String, Long> PROTOCOLS = Map.of("IPPROTO_IP", 0L, "IPPROTO_ICMP", 1L, "IPPROTO_TCP", 6L,
            "IPPROTO_UDP", 17L, "IPPROTO_IPV6", 41L, "IPPROTO_ICMPV6", 58L, "IPPROTO_RAW", 255L, "IPPROTO_SCTP", 132L);

    /** A socket type with its flags, as the Linux value the driver passes on. */
    static long socketType(String arg) {
        long v = 0;
        for (String f : StraceArgs.flags(arg)) {
            v |= SOCK_TYPES.getOrDefault(f, StraceArgs.number(f, 0));
        }
        return v;
    }

    static long protocol(String arg) {
        return PROTOCOLS.getOrDefault(arg.strip(), StraceArgs.number(arg, 0));
    }

    private static final Map<String, Integer> SIGNALS = new HashMap<>();

    /** A signal number by name (SIGKILL is 9), or the number strace printed. */
    static synchronized int signal(String name) {
        if (SIGNALS.isEmpty()) {
            for (int i = 1; i < 65; i++) {
                String n = EventTable.get().signalName(i);
                if (n != null) {
                    SIGNALS.putIfAbsent(n, i);
                }
            }
        }
        String s = name.strip();
        Integer v = SIGNALS.get(s);
        return v != null ? v : (int) StraceArgs.number(s, 0);
    }

    /** A mode argument (octal as strace prints it, or S_IF... names joined with an octal part). */
    static long mode(String arg) {
        long v = 0;
        for (String f : StraceArgs.flags(arg)) {
            if (!f.startsWith("S_")) {
                v |= StraceArgs.number(f, 0);
            }
        }
        return v;
    }

    /** Names for the syscalls that only have generic events in sysdig 0.29's driver: the x86-64 numbers. */
    static final Map<String, Integer> NATIVE = Map.of("chown", 92, "fchown", 93, "lchown", 94, "fchownat", 260,
            "setreuid", 113, "setregid", 114, "memfd_create", 319, "setfsuid", 122, "setfsgid", 123);

    static List<String> names(String arg) {
        return StraceArgs.flags(arg);
    }
}
