package dev.stasis.checkpoint.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint says about its container, gathered from {@code config.dump}, {@code spec.dump},
 * {@code network.status}, {@code status} and {@code stats-dump}. Any field may be null (or empty)
 * when the engine did not record it.
 *
 * @param name          the engine's container name (Podman's name, CRI-O/containerd's k8s container name)
 * @param imageName     the image as the user named it ("docker.io/library/nginx:latest")
 * @param imageRef      the image's digest or id reference
 * @param runtime       the OCI runtime ("runc", "crun")
 * @param podName       {@code io.kubernetes.pod.name} (or containerd's {@code io.kubernetes.cri.sandbox-name})
 * @param namespace     {@code io.kubernetes.pod.namespace}
 * @param containerName {@code io.kubernetes.container.name}
 * @param hostname      the UTS hostname from the spec (the live one is in the process namespaces)
 * @param annotations   the spec's annotations, as found
 */
public record Container(
        String name,
        String id,
        String imageName,
        String imageRef,
        String runtime,
        Engine engine,
        Instant created,
        Instant checkpointed,
        String podName,
        String namespace,
        String containerName,
        String hostname,
        List<NetworkInterface> networks,
        Map<String, String> annotations,
        CriuStatistics statistics,
        CheckpointSizes sizes) {

    public Container {
        networks = networks == null ? List.of() : List.copyOf(networks);
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(annotations));
    }

    /** The first IP address of the first interface, or null. */
    public String ip() {
        return networks.stream().map(NetworkInterface::ip).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** The MAC of the first interface that has one, or null. */
    public String mac() {
        return networks.stream().map(NetworkInterface::mac).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }
}
