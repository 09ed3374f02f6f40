package dev.stasis.capture.report;

import dev.stasis.capture.state.CaptureState;
import dev.stasis.capture.state.Event;
import dev.stasis.capture.state.FdInfo;
import dev.stasis.capture.state.ThreadInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The processes of a capture as a tree over time: when each started (clone/fork),
 * what it executed (every execve with its command line), when it exited, and the
 * network and file events that matter for an investigation (connections, listening
 * sockets, files opened for writing, deletions, renames, permission changes).
 * Processes that did nothing in the capture are left out, except as ancestors.
 */
public final class Timeline {
    /** Something a process did, at a time. */
    public record Item(long ts, long num, String kind, String detail) {
    }

    /** A process: identity, lifetime (0 = outside the capture) and what it did, with its children. */
    public record Process(long pid, long ppid, String comm, String cmdline, String containerId, long startTs,
            long endTs, List<Item> items, List<Process> children) {
    }

    private static final class Node {
        long pid, ppid;
        String comm, cmdline, container = "";
        long start, end;
        boolean active;
        final List<Item> items = new ArrayList<>();
    }

    private static final int O_WRONLY = 2, O_RDWR = 3, O_CREAT = 4, O_TRUNC = 256; // PPM_O_* bits
    private static final Set<String> FILE_CHANGES = Set.of("unlink", "unlinkat", "rename", "renameat", "renameat2",
            "rmdir", "mkdir", "mkdirat", "chmod", "fchmod", "fchmodat", "symlink", "symlinkat", "link", "linkat");

    private final Map<Long, Node> nodes = new LinkedHashMap<>();

    private Node node(ThreadInfo t) {
        Node n = nodes.computeIfAbsent(t.pid(), p -> new Node());
        n.pid = t.pid();
        ThreadInfo main = t.mainThread();
        if (n.comm == null || !main.comm().equals("<NA>")) {
            n.comm = main.comm();
            n.cmdline = main.cmdline();
            n.ppid = main.ptid();
            n.container = main.containerId();
        }
        return n;
    }

    public void add(Event e) {
        ThreadInfo t = e.thread();
        if (t == null) {
            return;
        }
        Node n = node(t);
        n.active = true;
        String name = e.name();
        boolean exit = !e.isEnter();
        Long res = exit ? e.intParam("res") : null;
        switch (name) {
            case "clone", "fork", "vfork", "clone3" -> {
                if (exit && res != null && res == 0 && t.isMainThread() && n.start == 0) {
                    n.start = e.ts(); // the child's side of the clone
                }
                if (exit && res != null && res > 0) {
                    ThreadInfo child = e.state().thread(res);
                    if (child != null && child.pid() == res) {
                        Node c = node(child);
                        c.start = c.start == 0 ? e.ts() : Math.min(c.start, e.ts());
                        c.ppid = t.pid();
                        c.active = true;
                        n.items.add(new Item(e.ts(), e.num(), "fork", child.comm() + "[" + res + "]"));
                    }
                }
            }
            case "execve", "execveat" -> {
                if (exit && res != null && res == 0) {
                    n.comm = t.comm();
                    n.cmdline = t.cmdline();
                    String path = t.exepath().isEmpty() || t.exepath().equals("<NA>") ? t.exe() : t.exepath();
                    n.items.add(new Item(e.ts(), e.num(), "exec", path + (t.args().isEmpty() ? "" : " " + t.argsString())));
                }
            }
            case "procexit" -> {
                if (t.isMainThread()) {
                    n.end = e.ts();
                    Long status = e.intParam("status");
                    n.items.add(new Item(e.ts(), e.num(), "exit", status == null ? "" : "status " + status));
                }
            }
            case "connect" -> {
                if (exit && res != null && (res >= 0 || res == -115)) {
                    FdInfo fd = e.fd();
                    n.items.add(new Item(e.ts(), e.num(), "connect", (fd != null && fd.isIp() ? fd.l4protoName() + " " : "")
                            + e.param("tuple")));
                } else if (exit && res != null) {
                    n.items.add(new Item(e.ts(), e.num(), "connect-failed", e.param("tuple") + " " + e.param("res")));
                }
            }
            case "accept", "accept4" -> {
                FdInfo fd = e.fd();
                if (exit && fd != null) {
                    n.items.add(new Item(e.ts(), e.num(), "accept", fd.name()));
                }
            }
            case "bind" -> {
                if (exit && res != null && res == 0) {
                    n.items.add(new Item(e.ts(), e.num(), "bind", e.param("addr")));
                }
            }
            case "listen" -> {
                if (!exit && e.fd() != null) {
                    n.items.add(new Item(e.ts(), e.num(), "listen", e.fd().name()));
                }
            }
            case "open", "openat", "openat2", "creat" -> {
                FdInfo fd = e.fd();
                if (exit && fd != null && fd.fd() >= 0 && (fd.typeChar() == 'f')) {
                    int fl = fd.openFlags();
                    boolean writes = (fl & O_RDWR) == O_WRONLY || (fl & O_RDWR) == O_RDWR || (fl & (O_CREAT | O_TRUNC)) != 0
                            || name.equals("creat");
                    if (writes) {
                        n.items.add(new Item(e.ts(), e.num(), "write-open", fd.name()));
                    }
                }
            }
            default -> {
                if (exit && FILE_CHANGES.contains(name) && res != null && res == 0) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i < e.paramCount(); i++) {
                        String pn = e.paramName(i);
                        if (pn.contains("path") || pn.equals("name") || pn.equals("filename") || pn.equals("target")
                                || pn.equals("linkpath") || pn.equals("mode")) {
                            String v = e.param(pn);
                            sb.append(sb.length() == 0 ? "" : " ").append(v);
                        }
                    }
                    n.items.add(new Item(e.ts(), e.num(), name, sb.toString()));
                }
            }
        }
    }

    /** The trees (roots first by start time); ancestors of active processes are kept for context. */
    public List<Process> roots(CaptureState state) {
        // pull in the ancestors of every active process
        for (Node n : List.copyOf(nodes.values())) {
            long ppid = n.ppid;
            int guard = 0;
            while (ppid > 0 && !nodes.containsKey(ppid) && guard++ < 64) {
                ThreadInfo p = state.thread(ppid);
                if (p == null) {
                    break;
                }
                Node a = node(p);
                ppid = a.ppid;
            }
        }
        Map<Long, List<Node>> children = new LinkedHashMap<>();
        List<Node> roots = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.ppid > 0 && n.ppid != n.pid && nodes.containsKey(n.ppid)) {
                children.computeIfAbsent(n.ppid, k -> new ArrayList<>()).add(n);
            } else {
                roots.add(n);
            }
        }
        List<Process> out = new ArrayList<>();
        for (Node r : sorted(roots)) {
            out.add(build(r, children, 0));
        }
        return out;
    }

    private static List<Node> sorted(List<Node> l) {
        List<Node> s = new ArrayList<>(l);
        s.sort(Comparator.comparingLong((Node n) -> n.start).thenComparingLong(n -> n.pid));
        return s;
    }

    private static Process build(Node n, Map<Long, List<Node>> children, int depth) {
        List<Process> kids = new ArrayList<>();
        if (depth < 256) {
            for (Node c : sorted(children.getOrDefault(n.pid, List.of()))) {
                kids.add(build(c, children, depth + 1));
            }
        }
        List<Item> items = new ArrayList<>(n.items);
        items.sort(Comparator.comparingLong(Item::num));
        return new Process(n.pid, n.ppid, n.comm, n.cmdline, n.container, n.start, n.end, List.copyOf(items),
                List.copyOf(kids));
    }
}
