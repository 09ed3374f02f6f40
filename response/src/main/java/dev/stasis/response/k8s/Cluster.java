package dev.stasis.response.k8s;

import dev.stasis.response.action.ActionException;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * The Kubernetes API calls the engine makes, through the fabric8 client:
 * where a pod runs, and the label / annotate / isolate actions. Each write is
 * idempotent (a merge patch, or create-or-replace of a NetworkPolicy with a
 * name derived from the pod), so a resumed or retried action is harmless.
 */
public final class Cluster {
    /** Label that ties a pod to its isolating NetworkPolicy. */
    public static final String ISOLATE_LABEL = "stasis.dev/isolate";

    private final KubernetesClient client;

    public Cluster(KubernetesClient client) {
        this.client = client;
    }

    public KubernetesClient client() {
        return client;
    }

    /** Where a pod runs, and that the container exists in it. */
    public PodPlacement place(String namespace, String pod, String container) {
        Pod p = call(() -> client.pods().inNamespace(namespace).withName(pod).get(), "look up pod " + namespace + "/" + pod);
        if (p == null) throw new ActionException("pod " + namespace + "/" + pod + " not found (deleted already, or wrong namespace)", false);
        boolean known = p.getSpec().getContainers().stream().anyMatch(c -> c.getName().equals(container));
        if (!known) throw new ActionException("pod " + namespace + "/" + pod + " has no container '" + container + "'", false);
        String node = p.getSpec().getNodeName();
        if (node == null || node.isBlank()) throw new ActionException("pod " + namespace + "/" + pod + " is not scheduled on a node", false);
        return new PodPlacement(node, nodeAddress(node), p.getMetadata().getUid());
    }

    /** The address to reach a node by (its InternalIP, else its name). */
    public String nodeAddress(String node) {
        var n = call(() -> client.nodes().withName(node).get(), "look up node " + node);
        if (n != null && n.getStatus() != null && n.getStatus().getAddresses() != null) {
            return n.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                    .map(NodeAddress::getAddress).findFirst().orElse(node);
        }
        return node;
    }

    public void label(String namespace, String pod, Map<String, String> labels) {
        patchMetadata(namespace, pod, "labels", labels);
    }

    public void annotate(String namespace, String pod, Map<String, String> annotations) {
        patchMetadata(namespace, pod, "annotations", annotations);
    }

    /**
     * Denies all ingress and egress of the pod: labels it with
     * {@value #ISOLATE_LABEL} and applies a NetworkPolicy selecting that label
     * with both policy types and no rules. Returns the policy's name.
     */
    public String isolate(String namespace, String pod, String policyName) {
        String value = shortHash(pod);
        patchMetadata(namespace, pod, "labels", Map.of(ISOLATE_LABEL, value));
        String name = policyName != null && !policyName.isBlank() ? policyName : "stasis-isolate-" + value;
        NetworkPolicy np = new NetworkPolicyBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "stasis")
                .addToAnnotations("stasis.dev/isolated-pod", pod)
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector().addToMatchLabels(ISOLATE_LABEL, value).endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .endSpec().build();
        call(() -> client.network().v1().networkPolicies().inNamespace(namespace).resource(np).createOr(x -> x.update()),
                "create NetworkPolicy " + namespace + "/" + name);
        return name;
    }

    private void patchMetadata(String namespace, String pod, String field, Map<String, String> values) {
        String patch;
        try {
            patch = MAPPER.writeValueAsString(Map.of("metadata", Map.of(field, values)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ActionException("cannot encode the " + field + " patch", false);
        }
        Pod p = call(() -> client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE), patch),
                "patch " + field + " of pod " + namespace + "/" + pod);
        if (p == null) throw new ActionException("pod " + namespace + "/" + pod + " not found", false);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    static String shortHash(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T call(java.util.function.Supplier<T> op, String what) {
        try {
            return op.get();
        } catch (KubernetesClientException e) {
            int code = e.getCode();
            String why = switch (code) {
                case 401 -> "the API server rejected the service account token (401)";
                case 403 -> "forbidden by RBAC (403): " + firstLine(e.getMessage());
                case 404 -> "not found (404)";
                case 0 -> "API server unreachable: " + firstLine(e.getMessage());
                default -> "API server answered " + code + ": " + firstLine(e.getMessage());
            };
            if (code == 404) throw new ActionException("cannot " + what + ": " + why, false);
            throw new ActionException("cannot " + what + ": " + why, code == 0 || code >= 500 || code == 429);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** Where a pod runs: the node's name, the address to reach its kubelet, and the pod's UID. */
    public record PodPlacement(String node, String address, String podUid) {}
}
