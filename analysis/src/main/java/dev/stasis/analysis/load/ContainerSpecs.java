package dev.stasis.analysis.load;

import dev.stasis.analysis.detect.Capabilities;
import dev.stasis.analysis.subject.ContainerSpec;
import dev.stasis.analysis.subject.MountPoint;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.model.Mount;
import dev.stasis.checkpoint.model.RuntimeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the container was allowed, judged from the checkpoint's OCI spec and the
 * engine's config ({@link Checkpoint#runtimeSpec()}, {@link Checkpoint#mounts()}):
 * privileges, capabilities, mounts, namespaces shared with the host.
 * The checkpoint module parses; this class only interprets.
 */
final class ContainerSpecs {
    private static final List<String> ISOLATING = List.of("pid", "network", "ipc", "uts", "mount");
    private static final String NOT_CHECKED = "mounts, capabilities and privileges not checked";

    private ContainerSpecs() {}

    static ContainerSpec read(Checkpoint cp, List<String> notices) {
        RuntimeSpec spec;
        try {
            Optional<RuntimeSpec> read = cp.runtimeSpec();
            if (read.isEmpty()) {
                notices.add("spec.dump missing: " + NOT_CHECKED);
                return ContainerSpec.empty();
            }
            spec = read.get();
        } catch (CheckpointException e) {
            notices.add("spec.dump or config.dump is not valid JSON: " + NOT_CHECKED);
            return ContainerSpec.empty();
        }
        List<String> caps = spec.effectiveCaps().isEmpty() ? spec.boundingCaps() : spec.effectiveCaps();
        var annotations = cp.container().annotations();
        boolean privileged = "TRUE".equalsIgnoreCase(annotations.get("io.podman.annotations.privileged"))
                || "true".equalsIgnoreCase(annotations.get("io.kubernetes.cri-o.Privileged"))
                || spec.configPrivileged()
                || (caps.stream().map(Capabilities::normalise).anyMatch("SYS_ADMIN"::equals) && caps.size() >= 38);
        return new ContainerSpec(spec.args(), spec.env(), privileged, caps, mounts(cp), hostNamespaces(spec.namespaces()), annotations,
                spec.noNewPrivileges(), spec.readOnlyRoot(), spec.uid());
    }

    private static List<MountPoint> mounts(Checkpoint cp) {
        List<MountPoint> out = new ArrayList<>();
        for (Mount m : cp.mounts()) {
            out.add(new MountPoint(m.destination() == null ? "" : m.destination(), m.type(), m.source(), m.options()));
        }
        return out;
    }

    /**
     * Namespaces shared with the host. A namespace with a path joins an existing one (Podman's
     * /run/netns, a pod sandbox's): not the host's. Only an absent namespace, or a path into
     * pid 1's namespaces, means sharing the host's. No namespace list at all says nothing.
     */
    private static List<String> hostNamespaces(List<RuntimeSpec.Namespace> ns) {
        List<String> hostNs = new ArrayList<>();
        if (ns.isEmpty()) return hostNs;
        for (String t : ISOLATING) {
            boolean own = false;
            for (RuntimeSpec.Namespace n : ns) {
                if (t.equals(n.type()) && !n.path().startsWith("/proc/1/")) own = true;
            }
            if (!own) hostNs.add(t);
        }
        return hostNs;
    }
}
