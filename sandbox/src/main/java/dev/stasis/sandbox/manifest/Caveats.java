package dev.stasis.sandbox.manifest;

import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.OpenFile;
import dev.stasis.checkpoint.model.ProcessInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a restore in a Kubernetes pod will not bring back, read from the checkpoint: its TCP
 * connections (CRIU keeps an established connection only when it dumped with tcp-established,
 * which leaves {@code tcp-stream-*.img} files, and restores it only with the same option and the
 * original local address), listeners nobody can reach, and what the node must match (OCI
 * runtime, CRIU version).
 */
final class Caveats {
    private static final Pattern CRIU_VERSION = Pattern.compile("Version:\\s*(\\S+)");

    private Caveats() {}

    static List<String> of(Checkpoint cp, Container c, String podContainerName) {
        List<String> out = new ArrayList<>();
        Set<String> established = new LinkedHashSet<>();
        Set<String> listening = new LinkedHashSet<>();
        try {
            for (ProcessInfo p : cp.processes(false).all()) {
                for (OpenFile f : p.files()) {
                    if (f instanceof OpenFile.InetSocket s && "TCP".equalsIgnoreCase(s.protocol())) {
                        String where = s.src() + ":" + s.srcPort();
                        if ("ESTABLISHED".equals(s.state())) established.add(p.comm() + "[" + p.pid() + "] " + where + " -> " + s.dst() + ":" + s.dstPort());
                        else if ("LISTEN".equals(s.state())) listening.add(where);
                    }
                }
            }
        } catch (CheckpointException e) {
            out.add("the process images could not be read (" + e.getMessage() + "); the sockets below are unknown");
        }
        boolean streams = cp.archive().list("checkpoint").stream().anyMatch(n -> n.startsWith("tcp-stream-"));
        if (!established.isEmpty()) {
            if (streams) {
                out.add(established.size() + " established TCP connection(s) were dumped with tcp-established (" + String.join(", ", established)
                        + "): they come back only if the node's CRIU restores with tcp-established too (CRI-O/runc: tcp-established in"
                        + " /etc/criu/runc.conf) and the pod gets the original address " + orUnknown(c.ip())
                        + "; otherwise the restore fails or the peer answers RST. The NetworkPolicy lets them reach only the sinkhole.");
            } else {
                out.add(established.size() + " TCP connection(s) were open but not dumped with tcp-established (" + String.join(", ", established)
                        + "): they do not come back; the malware sees them closed and may reconnect (to the sinkhole only).");
            }
        }
        if (!listening.isEmpty()) {
            out.add("listening TCP socket(s) " + String.join(", ", listening) + " come back but receive nothing: the NetworkPolicy denies all ingress.");
        }
        if (c.ip() != null) {
            out.add("the pod gets a new address from the cluster, not the original " + c.ip() + ": sockets bound to it cannot be restored there.");
        }
        out.add("the node must run the OCI runtime the checkpoint was taken with (" + orUnknown(c.runtime()) + ") with CRIU support enabled"
                + " (CRI-O: enable_criu_support); a different runtime does not restore it.");
        String criu = cp.dumpLog().map(Caveats::criuVersion).orElse(null);
        out.add(criu != null
                ? "it was dumped by CRIU " + criu + ": the node's CRIU must be that version or newer."
                : "the CRIU version that dumped it is not recorded in the archive: the node's CRIU must be at least that version.");
        if (c.name() != null && !c.name().equals(podContainerName) && (c.containerName() == null || !c.containerName().equals(podContainerName))) {
            out.add("the container name '" + c.name() + "' is not a Kubernetes name; the pod calls it '" + podContainerName + "'.");
        }
        return out;
    }

    private static String criuVersion(byte[] log) {
        String head = new String(log, 0, Math.min(log.length, 4096), StandardCharsets.UTF_8);
        Matcher m = CRIU_VERSION.matcher(head);
        return m.find() ? m.group(1) : null;
    }

    private static String orUnknown(String s) {
        return s == null || s.isBlank() ? "unknown" : s;
    }
}
