package dev.stasis.sandbox.run.cage;

import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.NetworkInterface;
import dev.stasis.checkpoint.model.OpenFile;
import dev.stasis.checkpoint.model.ProcessInfo;
import dev.stasis.checkpoint.model.ProcessTree;
import dev.stasis.sandbox.run.SandboxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The network the restored container will find: its original address, prefix and MAC on one
 * interface, a default route via its original gateway, and every remote peer its sockets name,
 * all of which the sinkhole will own. Only IPv4 is recreated.
 *
 * @param connections the established TCP connections of the checkpoint (for the takeover)
 */
public record CagePlan(String interfaceName, String address, int prefix, String mac, String gateway,
                       List<String> peers, List<Connection> connections) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** One established TCP connection: the container's end and the remote end, with the socket's inode. */
    public record Connection(int pid, int fd, long inode, String localIp, int localPort, String remoteIp, int remotePort) {
        public String describe() {
            return localIp + ":" + localPort + " -> " + remoteIp + ":" + remotePort;
        }
    }

    public CagePlan {
        peers = List.copyOf(peers);
        connections = List.copyOf(connections);
    }

    /** The gateway a pod gets when the checkpoint does not say (CRI-O/kubelet archives): Calico's link-local choice. */
    public static final String POD_GATEWAY = "169.254.1.1";

    public static CagePlan of(Container c, ProcessTree processes) {
        NetworkInterface nic = c.networks().stream().filter(n -> n.ip() != null && IPV4.matcher(n.ip()).matches())
                .findFirst().orElse(null);
        String address;
        int prefix;
        String gw;
        String name = "eth0";
        String mac = null;
        if (nic != null) {
            String cidr = nic.addresses().getFirst();
            address = nic.ip();
            prefix = cidr.contains("/") ? Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)) : 24;
            gw = nic.gateway();
            name = nic.name() == null ? "eth0" : nic.name();
            mac = nic.mac();
            if (gw == null || !IPV4.matcher(gw).matches()) {
                throw new SandboxException("the checkpoint names no IPv4 gateway for " + nic.ip() + " (network.status)");
            }
        } else {
            // CRI-O/kubelet archives have no network.status: the pod's address is the local address of its sockets,
            // reached through a link-local gateway the sinkhole owns (/32 and an on-link route, as Calico does)
            address = processes.all().stream().flatMap(p -> p.files().stream())
                    .filter(f -> f instanceof OpenFile.InetSocket s && s.src() != null && IPV4.matcher(s.src()).matches()
                            && !s.src().equals("0.0.0.0") && !s.src().startsWith("127."))
                    .map(f -> ((OpenFile.InetSocket) f).src()).findFirst()
                    .orElseThrow(() -> new SandboxException("the checkpoint names no IPv4 address for the container (no network.status,"
                            + " no socket bound to one): its sockets could not be restored onto their own address"));
            prefix = 32;
            gw = POD_GATEWAY;
        }
        Set<String> peers = new LinkedHashSet<>();
        peers.add(gw);
        List<Connection> conns = new ArrayList<>();
        for (ProcessInfo p : processes.all()) {
            for (OpenFile f : p.files()) {
                if (!(f instanceof OpenFile.InetSocket s) || s.dst() == null) continue;
                if (!IPV4.matcher(s.dst()).matches() || s.dst().equals("0.0.0.0") || s.dst().startsWith("127.")) continue;
                if (s.dst().equals(address) || s.dstPort() == 0) continue;
                peers.add(s.dst());
                if ("TCP".equalsIgnoreCase(s.protocol()) && "ESTABLISHED".equals(s.state())) {
                    Connection conn = new Connection(p.pid(), s.fd(), s.inode(), s.src(), s.srcPort(), s.dst(), s.dstPort());
                    // several fds (after fork) can share one socket: one takeover per socket
                    if (conns.stream().noneMatch(x -> x.inode() == conn.inode())) conns.add(conn);
                }
            }
        }
        return new CagePlan(name, address, prefix, mac, gw, List.copyOf(peers), conns);
    }

    public boolean hasEstablishedTcp() {
        return !connections.isEmpty();
    }
}
