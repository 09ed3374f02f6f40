package dev.stasis.analysis.report;

import java.time.Instant;
import java.util.List;

/**
 * Which container the checkpoint is of, as the report's header shows it. Fields
 * the archive does not record are null.
 *
 * <p>{@code containerName} is the container's own (engine) name, the one {@code show} and
 * {@code inspect} print; {@code kubernetesContainer} is the container's name in its pod spec
 * ({@code io.kubernetes.container.name}), which often differs ("web" runs pod container "frontend").
 */
public record Identity(String containerName, String containerId, String podName, String namespace, String image,
                       String imageRef, String engine, String runtime, String node, String hostname,
                       List<String> addresses, Instant createdAt, Instant checkpointedAt, String kubernetesContainer) {
    public Identity {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** An identity with no Kubernetes container name. */
    public Identity(String containerName, String containerId, String podName, String namespace, String image,
                    String imageRef, String engine, String runtime, String node, String hostname,
                    List<String> addresses, Instant createdAt, Instant checkpointedAt) {
        this(containerName, containerId, podName, namespace, image, imageRef, engine, runtime, node, hostname,
                addresses, createdAt, checkpointedAt, null);
    }

    /** " (pod container NAME)" when the pod spec names the container differently, else "". */
    public String kubernetesSuffix() {
        return kubernetesContainer == null || kubernetesContainer.equals(containerName) ? "" : " (pod container " + kubernetesContainer + ")";
    }
}
