package dev.stasis.checkpoint.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The processes of a checkpoint as a forest (normally one root: the container's init). */
public record ProcessTree(List<Node> roots) {
    /** A process and its children, ordered by pid. */
    public record Node(ProcessInfo process, List<Node> children) {
        public Node {
            children = List.copyOf(children);
        }
    }

    public ProcessTree {
        roots = List.copyOf(roots);
    }

    /** Builds the tree from flat processes by ppid; a process whose parent is not in the checkpoint is a root. */
    public static ProcessTree of(List<ProcessInfo> processes) {
        Map<Integer, ProcessInfo> byPid = new LinkedHashMap<>();
        for (ProcessInfo p : processes) byPid.put(p.pid(), p);
        Map<Integer, List<ProcessInfo>> children = new LinkedHashMap<>();
        List<ProcessInfo> roots = new ArrayList<>();
        for (ProcessInfo p : processes) {
            if (p.ppid() != p.pid() && byPid.containsKey(p.ppid())) children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            else roots.add(p);
        }
        List<Node> rootNodes = new ArrayList<>();
        roots.stream().sorted(Comparator.comparingInt(ProcessInfo::pid)).forEach(r -> rootNodes.add(build(r, children, 0)));
        return new ProcessTree(rootNodes);
    }

    private static Node build(ProcessInfo p, Map<Integer, List<ProcessInfo>> children, int depth) {
        List<Node> kids = new ArrayList<>();
        if (depth < 4096) {
            children.getOrDefault(p.pid(), List.of()).stream().sorted(Comparator.comparingInt(ProcessInfo::pid))
                    .forEach(c -> kids.add(build(c, children, depth + 1)));
        }
        return new Node(p, kids);
    }

    /** Every process, parents before children. */
    public List<ProcessInfo> all() {
        List<ProcessInfo> out = new ArrayList<>();
        walk(n -> out.add(n.process()));
        return out;
    }

    public Optional<ProcessInfo> find(int pid) {
        return all().stream().filter(p -> p.pid() == pid).findFirst();
    }

    /** Visits nodes depth first, parents before children. */
    public void walk(Consumer<Node> visitor) {
        ArrayList<Node> stack = new ArrayList<>(roots.reversed());
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            visitor.accept(n);
            for (int i = n.children().size() - 1; i >= 0; i--) stack.add(n.children().get(i));
        }
    }
}
