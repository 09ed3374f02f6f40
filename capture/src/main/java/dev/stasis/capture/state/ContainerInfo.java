package dev.stasis.capture.state;

import java.util.List;
import java.util.Map;

/**
 * Container metadata from a container event's JSON (or from cgroups alone, then
 * with only the id and type known). Kubernetes fields come from the pod labels;
 * {@code ip} is the JSON's IPv4 address ("" when not given), which libsinsp's fd.is_server and
 * fd.lip/fd.rip take as one of the machine's own.
 */
public record ContainerInfo(String id, String type, String name, String image, String imageId,
        String imageRepo, String imageTag, boolean privileged, Map<String, String> labels,
        List<ContainerMount> mounts, String ip) {

    public ContainerInfo {
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        ip = ip == null ? "" : ip;
    }

    /** A container whose IP address is not known ({@code ip} is then ""). */
    public ContainerInfo(String id, String type, String name, String image, String imageId,
            String imageRepo, String imageTag, boolean privileged, Map<String, String> labels,
            List<ContainerMount> mounts) {
        this(id, type, name, image, imageId, imageRepo, imageTag, privileged, labels, mounts, "");
    }

    /** A container whose mounts are not known (e.g. known only from cgroups). */
    public ContainerInfo(String id, String type, String name, String image, String imageId,
            String imageRepo, String imageTag, boolean privileged, Map<String, String> labels) {
        this(id, type, name, image, imageId, imageRepo, imageTag, privileged, labels, List.of());
    }

    public String k8sPodName() { return labels.getOrDefault("io.kubernetes.pod.name", ""); }
    public String k8sNamespace() { return labels.getOrDefault("io.kubernetes.pod.namespace", ""); }
    public String k8sPodUid() { return labels.getOrDefault("io.kubernetes.pod.uid", ""); }
    public String k8sContainerName() { return labels.getOrDefault("io.kubernetes.container.name", ""); }
}
