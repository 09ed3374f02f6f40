package dev.stasis.sandbox.manifest;

import dev.stasis.checkpoint.model.Mount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mounts a restore must provide. CRI-O ({@code server/container_restore.go},
 * {@code CRImportCheckpoint}) refuses to restore unless every mount in the checkpoint's
 * {@code spec.dump} has a mount at the same container path in the new container, except the
 * paths it sets up itself ({@link #CRIO_PROVIDES}). Which of them are single files matters in
 * Kubernetes: a directory volume cannot be mounted over a file.
 */
final class RequiredMounts {
    /** CRI-O's {@code ignoreMounts}: set up fresh for the new container, so not required. */
    static final Set<String> CRIO_PROVIDES = Set.of("/proc", "/dev", "/dev/pts", "/dev/mqueue", "/sys", "/sys/fs/cgroup",
            "/dev/shm", "/etc/resolv.conf", "/etc/hostname", "/etc/passwd", "/etc/group", "/run/secrets", "/run/.containerenv");

    /** Mount points that the engines and the kubelet always bind as single files. */
    static final Set<String> FILE_MOUNTS = Set.of("/etc/hosts", "/dev/termination-log", "/etc/hostname", "/etc/resolv.conf",
            "/run/.containerenv", "/etc/passwd", "/etc/group");

    record Required(String destination, String originalType, String originalSource, boolean file) {}

    private RequiredMounts() {}

    static List<Required> of(List<Mount> specMounts) {
        Map<String, Required> out = new LinkedHashMap<>();
        for (Mount m : specMounts) {
            String d = m.destination();
            if (d == null || CRIO_PROVIDES.contains(d)) continue;
            // a socket bound in from the host (docker.sock, containerd.sock) is a single file too
            out.putIfAbsent(d, new Required(d, m.type(), m.source(), FILE_MOUNTS.contains(d) || d.endsWith(".sock")));
        }
        return new ArrayList<>(out.values());
    }
}
