package dev.stasis.checkpoint.criu;

import java.util.LinkedHashMap;
import java.util.Map;

/** crit's named-flag and value tables (pb2dict.py's flags_maps and dict_maps). */
final class CritFlags {
    private CritFlags() {}

    private static final Map<String, Map<String, Long>> FLAGS = Map.of(
            "mmap.prot", ordered("PROT_READ", 0x1, "PROT_WRITE", 0x2, "PROT_EXEC", 0x4),
            "mmap.flags", ordered("MAP_SHARED", 0x1, "MAP_PRIVATE", 0x2, "MAP_DROPPABLE", 0x08, "MAP_ANON", 0x20,
                    "MAP_GROWSDOWN", 0x0100),
            "mmap.status", ordered("VMA_AREA_NONE", 0, "VMA_AREA_REGULAR", 1, "VMA_AREA_STACK", 1 << 1,
                    "VMA_AREA_VSYSCALL", 1 << 2, "VMA_AREA_VDSO", 1 << 3, "VMA_AREA_HEAP", 1 << 5,
                    "VMA_FILE_PRIVATE", 1 << 6, "VMA_FILE_SHARED", 1 << 7, "VMA_ANON_SHARED", 1 << 8,
                    "VMA_ANON_PRIVATE", 1 << 9, "VMA_AREA_SYSVIPC", 1 << 10, "VMA_AREA_SOCKET", 1 << 11,
                    "VMA_AREA_VVAR", 1 << 12, "VMA_AREA_AIORING", 1 << 13, "VMA_AREA_MEMFD", 1 << 14,
                    "VMA_AREA_SHSTK", 1 << 15, "VMA_AREA_UPROBES", 1 << 17, "VMA_UNSUPP", 1L << 31),
            "rfile.flags", ordered("O_WRONLY", 01, "O_RDWR", 02, "O_CREAT", 0100, "O_EXCL", 0200, "O_NOCTTY", 0400,
                    "O_TRUNC", 01000, "O_APPEND", 02000, "O_NONBLOCK", 04000, "O_DSYNC", 010000, "FASYNC", 020000,
                    "O_DIRECT", 040000, "O_LARGEFILE", 0100000, "O_DIRECTORY", 0200000, "O_NOFOLLOW", 0400000,
                    "O_NOATIME", 01000000, "O_CLOEXEC", 02000000),
            "pmap.flags", ordered("PE_PARENT", 1, "PE_LAZY", 1 << 1, "PE_PRESENT", 1 << 2),
            "seals.flags", ordered("F_SEAL_SEAL", 0x1, "F_SEAL_SHRINK", 0x2, "F_SEAL_GROW", 0x4, "F_SEAL_WRITE", 0x8,
                    "F_SEAL_FUTURE_WRITE", 0x10));

    private static final Map<String, Map<Long, String>> GEN = Map.of(
            "task_state", Map.of(1L, "Alive", 3L, "Zombie", 6L, "Stopped"));

    private static final Map<String, Map<Long, String>> SK = Map.of(
            "family", Map.of(1L, "UNIX", 2L, "INET", 10L, "INET6", 16L, "NETLINK", 17L, "PACKET"),
            "type", Map.of(1L, "STREAM", 2L, "DGRAM", 3L, "RAW", 5L, "SEQPACKET", 10L, "PACKET"),
            "state", Map.ofEntries(Map.entry(1L, "ESTABLISHED"), Map.entry(2L, "SYN_SENT"), Map.entry(3L, "SYN_RECV"),
                    Map.entry(4L, "FIN_WAIT1"), Map.entry(5L, "FIN_WAIT2"), Map.entry(6L, "TIME_WAIT"),
                    Map.entry(7L, "CLOSE"), Map.entry(8L, "CLOSE_WAIT"), Map.entry(9L, "LAST_ACK"),
                    Map.entry(10L, "LISTEN")),
            "proto", Map.of(0L, "IP", 6L, "TCP", 17L, "UDP", 136L, "UDPLITE"));

    private static Map<String, Long> ordered(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        return m;
    }

    /** The named map, or null when crit has none (it then prints hex). */
    static Map<String, Long> flagMap(String name) {
        return FLAGS.get(name);
    }

    /** crit's map_flags: names of the set bits in table order, then any leftover bits in hex, joined by " | ". */
    static String mapFlags(long value, Map<String, Long> map) {
        StringBuilder sb = new StringBuilder();
        long all = 0;
        for (Map.Entry<String, Long> e : map.entrySet()) {
            all += e.getValue();
            if ((value & e.getValue()) != 0) {
                if (sb.length() > 0) sb.append(" | ");
                sb.append(e.getKey());
            }
        }
        long rest = value & ~all;
        if (rest != 0) {
            if (sb.length() > 0) sb.append(" | ");
            sb.append("0x").append(Long.toHexString(rest));
        }
        return sb.toString();
    }

    /** The name crit's dict option gives this value, or null to print the number. */
    static String dictName(String dict, String field, long value) {
        Map<String, Map<Long, String>> maps = switch (dict) {
            case "gen" -> GEN;
            case "sk" -> SK;
            default -> Map.of();
        };
        Map<Long, String> m = maps.get(field);
        return m == null ? null : m.get(value);
    }

    /** Task state names as crit's explorer and show print them. */
    static String taskState(long state) {
        return GEN.get("task_state").get(state);
    }
}
