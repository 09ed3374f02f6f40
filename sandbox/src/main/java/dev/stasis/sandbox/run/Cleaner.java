package dev.stasis.sandbox.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what a run created: its helper processes, the restored container, both network
 * namespaces (which takes the veth pair and the sinkhole's firewall rules with them) and a veth
 * still in the host namespace. Every step is idempotent and only touches names with the
 * sandbox's prefix, so it can run at the end of a run, on the next start and from
 * {@code stasis sandbox cleanup}.
 */
public final class Cleaner {
    private static final Pattern CONTAINER = Pattern.compile("stasis-sbx-([0-9a-f]{8})");
    private static final Pattern NETNS = Pattern.compile("stasis-sbx-([0-9a-f]{8})-(ctr|sink)");
    private static final Pattern LINK = Pattern.compile("sbx([0-9a-f]{8})[cs]");

    private Cleaner() {}

    public static int remove(RunManifest m, Consumer<String> log) {
        int removed = 0;
        for (RunManifest.Child c : m.children()) {
            if (c.start() > 0 && Host.startTime(c.pid()) == c.start()) {
                ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly);
                log.accept("killed " + c.name() + " (pid " + c.pid() + ")");
                removed++;
            }
        }
        removed += removeContainer(m.container(), log);
        for (String ns : m.netns()) removed += removeNetns(ns, log);
        for (String link : m.links()) removed += removeLink(link, log);
        return removed;
    }

    /** Removes sandbox-named objects that belong to no live run (left by a run killed before its manifest was complete). */
    public static int sweepByPrefix(java.util.function.Predicate<String> live, Consumer<String> log) {
        int removed = 0;
        Host.Result ps = Host.run(List.of("podman", "ps", "-a", "--format", "{{.Names}}"));
        if (ps.ok()) {
            for (String name : ps.out().split("\n")) {
                Matcher mm = CONTAINER.matcher(name.strip());
                if (mm.matches() && !live.test(mm.group(1))) removed += removeContainer(name.strip(), log);
            }
        }
        for (String ns : netnsList()) {
            Matcher mm = NETNS.matcher(ns);
            if (mm.matches() && !live.test(mm.group(1))) removed += removeNetns(ns, log);
        }
        Host.Result links = Host.run(List.of("ip", "-o", "link", "show"));
        if (links.ok()) {
            for (String line : links.out().split("\n")) {
                String[] f = line.split(":\\s+");
                if (f.length < 2) continue;
                String name = f[1].split("@")[0];
                Matcher mm = LINK.matcher(name);
                if (mm.matches() && !live.test(mm.group(1))) removed += removeLink(name, log);
            }
        }
        return removed;
    }

    static int removeContainer(String name, Consumer<String> log) {
        if (!CONTAINER.matcher(name).matches()) return 0; // never a container the sandbox did not name
        if (!Host.run(List.of("podman", "container", "exists", name)).ok()) return 0;
        Host.Result r = Host.run(List.of("podman", "rm", "-f", "-t", "0", name), 120);
        log.accept(r.ok() ? "removed container " + name : "could not remove container " + name + ": " + r.lastLine());
        return r.ok() ? 1 : 0;
    }

    static int removeNetns(String ns, Consumer<String> log) {
        if (!NETNS.matcher(ns).matches() || !netnsList().contains(ns)) return 0;
        // whatever still runs in it (an orphaned sinkhole or tcpdump after a kill -9) goes first
        Host.Result pids = Host.run(List.of("ip", "netns", "pids", ns));
        if (pids.ok()) {
            for (String p : pids.out().split("\\s+")) {
                if (p.matches("\\d+")) ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        Host.Result r = Host.run(List.of("ip", "netns", "del", ns));
        log.accept(r.ok() ? "removed network namespace " + ns : "could not remove network namespace " + ns + ": " + r.lastLine());
        return r.ok() ? 1 : 0;
    }

    static int removeLink(String link, Consumer<String> log) {
        if (!LINK.matcher(link).matches()) return 0;
        if (!Host.run(List.of("ip", "link", "show", "dev", link)).ok()) return 0;
        Host.Result r = Host.run(List.of("ip", "link", "del", "dev", link));
        log.accept(r.ok() ? "removed link " + link : "could not remove link " + link + ": " + r.lastLine());
        return r.ok() ? 1 : 0;
    }

    public static List<String> netnsList() {
        List<String> out = new ArrayList<>();
        Host.Result r = Host.run(List.of("ip", "netns", "list"));
        if (!r.ok()) return out;
        for (String line : r.out().split("\n")) {
            String n = line.strip().split("\\s+")[0];
            if (!n.isEmpty()) out.add(n);
        }
        return out;
    }
}
