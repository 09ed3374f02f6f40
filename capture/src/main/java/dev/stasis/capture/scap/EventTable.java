package dev.stasis.capture.scap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The driver's event table (event number to name, direction and parameters), the
 * flag tables that decode flag parameters, and the syscall names of generic events.
 * Loaded once from the tables {@code capture/tools/gen_event_table.py} derives from
 * falcosecurity/libs, kept as string constants ({@link TableText}) rather than resources:
 * a JVM's first resource lookup costs some 10 ms before anything is compiled (the class
 * loaders ask every module first), more than reading the tables.
 */
public final class EventTable {
    private static final EventTable INSTANCE = load();

    /**
     * The table's line of each event type (null for unused numbers), parsed into an
     * {@link EventInfo} on the first {@link #info} of the type: a command meets a few dozen
     * of the 450 types, and parsing them all cost a good part of a short command's start-up.
     */
    private final String[] lines;
    /** The name column of each line, read at load: what the per-type tables and byName need. */
    private final String[] names;
    /**
     * The parsed entries. Filled without a lock: two threads (the background JVM runs commands
     * concurrently) may both parse a type and store equal records, one replacing the other.
     * That race is benign: an EventInfo is immutable and reachable only through final fields
     * (records, List.copyOf/Set.copyOf), so a thread that reads the reference sees it whole,
     * and nothing compares EventInfo objects by identity.
     */
    private final EventInfo[] events;

    /**
     * The tables only the formatting of parameters reads (flag names, errno and signal
     * names), loaded on first use: a filtered read that prints {@code %evt.num} never
     * reads them, and a command's start-up is a good part of a short capture's read.
     */
    private static final class Decoding {
        static final Map<String, List<Map.Entry<String, Long>>> FLAGS = flagTables();
        static final Map<Integer, String> ERRNOS = numbered(TableText.ERRNOS);
        static final Map<Integer, String> SIGNALS = numbered(TableText.SIGNALS);
    }

    /** The syscall names of generic events, loaded on first use (most filters never name one). */
    private static final class Syscalls {
        static final String[] NAMES = syscallNames();
    }

    private EventTable(String[] lines, String[] names) {
        this.lines = lines;
        this.names = names;
        this.events = new EventInfo[lines.length];
    }

    /** Errno name for a positive errno number (ENOENT for 2), or null. */
    public String errnoName(int errno) {
        return Decoding.ERRNOS.get(errno);
    }

    /** Signal name (SIGKILL for 9), or null. */
    public String signalName(int sig) {
        return Decoding.SIGNALS.get(sig);
    }

    public static EventTable get() {
        return INSTANCE;
    }

    /** Number of event types the table knows (types at or beyond it are unknown). */
    public int size() {
        return lines.length;
    }

    /** The info for an event type, or null if the type is beyond the table or unused. */
    public EventInfo info(int type) {
        if (type < 0 || type >= events.length) {
            return null;
        }
        EventInfo e = events[type];
        if (e == null && lines[type] != null) {
            e = parse(lines[type]);
            events[type] = e; // benign race: see the field's comment
        }
        return e;
    }

    /** The name of an event type ({@code info(type).name()} without parsing the entry), or null. */
    public String name(int type) {
        return type >= 0 && type < names.length ? names[type] : null;
    }

    /** Whether an event type has the flag {@code flag} (EF_...), without parsing the entry; false for unused types. */
    public boolean hasFlag(int type, String flag) {
        String line = type >= 0 && type < lines.length ? lines[type] : null;
        if (line == null || flag.isEmpty()) {
            return false;
        }
        for (String f : column(line, 3).split("\\|")) { // type, name, category, flags, params...
            if (f.equals(flag)) {
                return true;
            }
        }
        return false;
    }

    /** Column {@code n} (from 0) of a table line, without splitting the whole line. */
    private static String column(String line, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            start = line.indexOf('\t', start) + 1;
        }
        int end = line.indexOf('\t', start);
        return line.substring(start, end < 0 ? line.length() : end);
    }

    /** All event types with this name (e.g. every version of "execve"). */
    public List<EventInfo> byName(String name) {
        List<EventInfo> out = new ArrayList<>();
        for (int t = 0; t < names.length; t++) {
            if (names[t] != null && names[t].equals(name)) {
                out.add(info(t));
            }
        }
        return out;
    }

    /** The (name, value) entries of a flag table such as {@code file_flags}, in table order. */
    public List<Map.Entry<String, Long>> flagTable(String table) {
        return Decoding.FLAGS.getOrDefault(table, List.of());
    }

    /** Number of PPM_SC syscall codes with a name: {@link #syscallName} of a code at or beyond it is "<unknown>". */
    public int syscallCodes() {
        return Syscalls.NAMES.length;
    }

    /** Name of a PPM_SC syscall code (the ID of generic "syscall" events). */
    public String syscallName(int code) {
        String[] names = Syscalls.NAMES;
        return code >= 0 && code < names.length && names[code] != null ? names[code] : "<unknown>";
    }

    /** Reads the type and name columns of every line; the rest waits for {@link #info}. */
    private static EventTable load() {
        List<String> all = lines(TableText.EVENT_TABLE);
        int max = 0;
        int[] types = new int[all.size()];
        for (int i = 0; i < types.length; i++) {
            String line = all.get(i);
            types[i] = Integer.parseInt(line, 0, line.indexOf('\t'), 10);
            max = Math.max(max, types[i] + 1);
        }
        String[] lines = new String[max];
        String[] names = new String[max];
        for (int i = 0; i < types.length; i++) {
            String line = all.get(i);
            lines[types[i]] = line;
            names[types[i]] = column(line, 1).intern();
        }
        return new EventTable(lines, names);
    }

    private static EventInfo parse(String line) {
        String[] f = line.split("\t", -1);
        int type = Integer.parseInt(f[0]);
        List<ParamInfo> params = new ArrayList<>();
        for (int i = 4; i < f.length; i++) {
            if (f[i].isEmpty()) {
                continue;
            }
            String[] p = f[i].split("\\|", -1);
            String info = p.length > 3 ? p[3] : "";
            int dirfd = -1;
            String table = info;
            if (info.startsWith("dirfd:")) {
                dirfd = Integer.parseInt(info.substring(6));
                table = "";
            }
            params.add(new ParamInfo(p[0].intern(), ParamType.ofC(p[1]), ParamFormat.ofC(p[2]), table, dirfd));
        }
        return new EventInfo(type, f[1].intern(), split(f[2]), split(f[3]), List.copyOf(params));
    }

    private static String[] syscallNames() {
        Map<Integer, String> syscalls = numbered(TableText.SYSCALLS);
        int max = 0;
        for (int k : syscalls.keySet()) {
            max = Math.max(max, k + 1);
        }
        String[] names = new String[max];
        for (Map.Entry<Integer, String> e : syscalls.entrySet()) {
            names[e.getKey()] = e.getValue();
        }
        return names;
    }

    private static Map<String, List<Map.Entry<String, Long>>> flagTables() {
        Map<String, List<Map.Entry<String, Long>>> flags = new LinkedHashMap<>();
        for (String line : lines(TableText.FLAG_TABLES)) {
            String[] f = line.split("\t");
            flags.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Map.entry(f[1], Long.parseLong(f[2])));
        }
        return flags;
    }

    private static Map<Integer, String> numbered(String[] table) {
        Map<Integer, String> out = new HashMap<>();
        for (String line : lines(table)) {
            String[] f = line.split("\t");
            out.putIfAbsent(Integer.parseInt(f[0]), f[1]);
        }
        return out;
    }

    private static Set<String> split(String s) {
        Set<String> out = new LinkedHashSet<>();
        for (String p : s.split("\\|")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return Set.copyOf(out); // small immutable sets: contains() is a direct probe
    }

    /** The non-empty, non-comment lines of a table (its chunks end at line ends). */
    private static List<String> lines(String[] chunks) {
        List<String> out = new ArrayList<>();
        for (String text : chunks) {
            for (int start = 0, end; start < text.length(); start = end + 1) {
                end = text.indexOf('\n', start);
                if (end < 0) {
                    end = text.length();
                }
                if (end > start && text.charAt(start) != '#') {
                    out.add(text.substring(start, end));
                }
            }
        }
        return out;
    }
}
