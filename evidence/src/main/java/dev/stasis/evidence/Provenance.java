package dev.stasis.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Where a checkpoint archive came from, as the collector saw it. Every field
 * but none is optional: an analyst's {@code stasis evidence add} knows less than
 * the response engine does. Build with {@link #builder()}.
 *
 * @param alert          the triggering alert, verbatim (Falco's JSON exactly as received), or null
 * @param cluster        cluster name
 * @param node           node name the container ran on
 * @param namespace      Kubernetes namespace
 * @param pod            pod name
 * @param podUid         pod UID
 * @param container      container name
 * @param containerId    container id (runtime's)
 * @param image          image reference
 * @param imageDigest    image digest ({@code sha256:...})
 * @param runtimePath    where the runtime wrote the archive on the node
 *                       (e.g. {@code /var/lib/kubelet/checkpoints/checkpoint-...tar})
 * @param checkpointTime when the checkpoint was taken
 * @param collectedAt    when the archive was collected off the node
 * @param collector      the collector's identity (service account, agent name, analyst)
 * @param sourceName     the file name the archive was added from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
        String alert,
        String cluster,
        String node,
        String namespace,
        String pod,
        String podUid,
        String container,
        String containerId,
        String image,
        String imageDigest,
        String runtimePath,
        Instant checkpointTime,
        Instant collectedAt,
        String collector,
        String sourceName) {

    public static Builder builder() {
        return new Builder();
    }

    public static Provenance empty() {
        return builder().build();
    }

    /** Mutable builder; every setter is optional. */
    public static final class Builder {
        private String alert, cluster, node, namespace, pod, podUid, container, containerId, image, imageDigest,
                runtimePath, collector, sourceName;
        private Instant checkpointTime, collectedAt;

        public Builder alert(String v) { alert = v; return this; }
        public Builder cluster(String v) { cluster = v; return this; }
        public Builder node(String v) { node = v; return this; }
        public Builder namespace(String v) { namespace = v; return this; }
        public Builder pod(String v) { pod = v; return this; }
        public Builder podUid(String v) { podUid = v; return this; }
        public Builder container(String v) { container = v; return this; }
        public Builder containerId(String v) { containerId = v; return this; }
        public Builder image(String v) { image = v; return this; }
        public Builder imageDigest(String v) { imageDigest = v; return this; }
        public Builder runtimePath(String v) { runtimePath = v; return this; }
        public Builder checkpointTime(Instant v) { checkpointTime = v; return this; }
        public Builder collectedAt(Instant v) { collectedAt = v; return this; }
        public Builder collector(String v) { collector = v; return this; }
        public Builder sourceName(String v) { sourceName = v; return this; }

        public Provenance build() {
            return new Provenance(alert, cluster, node, namespace, pod, podUid, container, containerId, image,
                    imageDigest, runtimePath, checkpointTime, collectedAt, collector, sourceName);
        }
    }
}
