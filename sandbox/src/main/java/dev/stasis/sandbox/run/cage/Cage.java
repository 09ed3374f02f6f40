package dev.stasis.sandbox.run.cage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.sandbox.run.Host;
import dev.stasis.sandbox.run.RunManifest;
import dev.stasis.sandbox.run.SandboxException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The network cage: two namespaces joined by one veth pair and joined to nothing else.
 * The container side ({@code stasis-sbx-ID-ctr}) gets the container's original address, MAC
 * and a default route via its original gateway; the sinkhole side ({@code stasis-sbx-ID-sink})
 * owns the gateway and every peer address, with forwarding off and every TCP connection and DNS
 * query redirected to the sinkhole. Neither namespace has an interface into the host's, so
 * there is no path a packet could take out, whatever the restored processes do.
 */
public final class Cage {
    /** TCP port the sinkhole listens on inside the sink namespace; all TCP is redirected here. */
    public static final int SINK_PORT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String runId;
    private final CagePlan plan;

    public Cage(String runId, CagePlan plan) {
        this.runId = runId;
        this.plan = plan;
    }

    public String containerNetns() {
        return RunManifest.netnsName(runId, "ctr");
    }

    public String sinkNetns() {
        return RunManifest.netnsName(runId, "sink");
    }

    public String containerNetnsPath() {
        return "/run/netns/" + containerNetns();
    }

    public String sinkLink() {
        return RunManifest.linkName(runId, 's');
    }

    public CagePlan plan() {
        return plan;
    }

    /** Creates both namespaces and the veth pair, addresses, routes and the sinkhole's redirects. */
    public void create(List<CagePlan.Connection> takenOver) {
        String ctr = containerNetns();
        String sink = sinkNetns();
        String c = RunManifest.linkName(runId, 'c');
        String s = sinkLink();
        Host.must("creating network namespace " + ctr, List.of("ip", "netns", "add", ctr));
        Host.must("creating network namespace " + sink, List.of("ip", "netns", "add", sink));
        Host.must("creating the veth pair", List.of("ip", "link", "add", c, "type", "veth", "peer", "name", s));
        Host.must("moving the veth into the cage", List.of("ip", "link", "set", c, "netns", ctr));
        Host.must("moving the veth into the cage", List.of("ip", "link", "set", s, "netns", sink));
        // IPv6 is not recreated; switching it off keeps link-local chatter and router discovery out of the cage
        for (String ns : List.of(ctr, sink)) {
            Host.must("disabling IPv6 in " + ns, List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"));
            Host.must("disabling forwarding in " + ns, List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0"));
        }
        Host.must("naming the container's interface", List.of("ip", "-n", ctr, "link", "set", c, "name", plan.interfaceName()));
        if (plan.mac() != null && !plan.mac().isBlank()) {
            Host.must("setting the container's MAC", List.of("ip", "-n", ctr, "link", "set", plan.interfaceName(), "address", plan.mac()));
        }
        Host.must("addressing the container's interface",
                List.of("ip", "-n", ctr, "addr", "add", plan.address() + "/" + plan.prefix(), "dev", plan.interfaceName()));
        Host.must("bringing up the container's interface", List.of("ip", "-n", ctr, "link", "set", plan.interfaceName(), "up"));
        Host.must("bringing up loopback", List.of("ip", "-n", ctr, "link", "set", "lo", "up"));
        Host.must("adding the default route", List.of("ip", "-n", ctr, "route", "add", "default", "via", plan.gateway(), "dev", plan.interfaceName(), "onlink"));
        Host.must("addressing the sinkhole", List.of("ip", "-n", sink, "addr", "add", plan.gateway() + "/" + plan.prefix(), "dev", s));
        for (String peer : plan.peers()) {
            if (peer.equals(plan.gateway())) continue;
            Host.must("giving the sinkhole address " + peer, List.of("ip", "-n", sink, "addr", "add", peer + "/32", "dev", s));
        }
        Host.must("bringing up the sinkhole's interface", List.of("ip", "-n", sink, "link", "set", s, "up"));
        // the way back to the container even when its prefix is /32 (a pod address)
        Host.must("routing the sinkhole to the container", List.of("ip", "-n", sink, "route", "replace", plan.address() + "/32", "dev", s));
        Host.must("bringing up loopback", List.of("ip", "-n", sink, "link", "set", "lo", "up"));
        // a taken-over connection is answered by its own repaired socket: keep it out of the catch-all redirect
        for (CagePlan.Connection t : takenOver) {
            iptables(sink, "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "-s", t.localIp(), "--sport", String.valueOf(t.localPort()),
                    "-d", t.remoteIp(), "--dport", String.valueOf(t.remotePort()), "-j", "RETURN");
        }
        iptables(sink, "-t", "nat", "-A", "PREROUTING", "-i", s, "-p", "tcp", "-j", "REDIRECT", "--to-ports", String.valueOf(SINK_PORT));
        iptables(sink, "-t", "nat", "-A", "PREROUTING", "-i", s, "-p", "udp", "--dport", "53", "-j", "REDIRECT", "--to-ports", "53");
    }

    private static void iptables(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "iptables", "-w"));
        cmd.addAll(List.of(args));
        Host.must("setting the sinkhole's redirect", cmd);
    }

    /**
     * Checks, from the kernel's own view, that the cage is closed: the container namespace has
     * only loopback and its veth, whose peer is the sink namespace's only other interface, every
     * route goes through those two, nothing forwards, and no end of the pair is left in the host.
     * Any doubt is a refusal.
     */
    public void verify() {
        String ctr = containerNetns();
        String sink = sinkNetns();
        List<JsonNode> ctrLinks = links(ctr);
        List<JsonNode> sinkLinks = links(sink);
        JsonNode ctrVeth = onlyVeth(ctr, ctrLinks, plan.interfaceName());
        JsonNode sinkVeth = onlyVeth(sink, sinkLinks, sinkLink());
        if (ctrVeth.path("link_index").asInt(-1) != sinkVeth.path("ifindex").asInt(-2)
                || sinkVeth.path("link_index").asInt(-1) != ctrVeth.path("ifindex").asInt(-2)
                || !ctrVeth.has("link_netnsid") || !sinkVeth.has("link_netnsid")) {
            throw new SandboxException("isolation check failed: the container's interface is not paired with the sinkhole's");
        }
        for (String family : List.of("-4", "-6")) {
            for (JsonNode r : json(List.of("ip", "-j", family, "-n", ctr, "route", "show", "table", "all"))) {
                String dev = r.path("dev").asText("");
                if (!dev.equals(plan.interfaceName()) && !dev.equals("lo")) {
                    throw new SandboxException("isolation check failed: the container namespace has a route via " + (dev.isEmpty() ? r : dev));
                }
            }
        }
        for (String ns : List.of(ctr, sink)) {
            Host.Result fwd = Host.run(List.of("ip", "netns", "exec", ns, "sysctl", "-n", "net.ipv4.ip_forward"));
            if (!fwd.ok() || !fwd.out().strip().equals("0")) {
                throw new SandboxException("isolation check failed: forwarding is on (or unreadable) in " + ns);
            }
        }
        for (char side : new char[] {'c', 's'}) {
            if (Host.run(List.of("ip", "link", "show", "dev", RunManifest.linkName(runId, side))).ok()) {
                throw new SandboxException("isolation check failed: an end of the veth pair is still in the host's namespace");
            }
        }
    }

    private static JsonNode onlyVeth(String ns, List<JsonNode> links, String name) {
        JsonNode veth = null;
        for (JsonNode l : links) {
            String n = l.path("ifname").asText();
            if (n.equals("lo")) continue;
            if (!n.equals(name) || veth != null) {
                throw new SandboxException("isolation check failed: unexpected interface " + n + " in " + ns);
            }
            veth = l;
        }
        if (veth == null) throw new SandboxException("isolation check failed: no veth in " + ns);
        return veth;
    }

    private static List<JsonNode> links(String ns) {
        return json(List.of("ip", "-j", "-d", "-n", ns, "link", "show"));
    }

    private static List<JsonNode> json(List<String> cmd) {
        Host.Result r = Host.run(cmd);
        if (!r.ok()) throw new SandboxException("isolation check failed: " + String.join(" ", cmd) + ": " + r.lastLine());
        try {
            String out = r.out().isBlank() ? "[]" : r.out();
            List<JsonNode> list = new ArrayList<>();
            JSON.readTree(out).forEach(list::add);
            return list;
        } catch (IOException e) {
            throw new SandboxException("isolation check failed: unreadable output of " + String.join(" ", cmd));
        }
    }
}
