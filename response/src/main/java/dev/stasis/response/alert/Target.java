package dev.stasis.response.alert;

/**
 * The container an alert is about, from Falco's output fields
 * ({@code k8s.ns.name}, {@code k8s.pod.name}, {@code container.name},
 * {@code container.id}) and the alert's hostname (the node).
 */
public record Target(String namespace, String pod, String container, String containerId, String node) {

    public static Target of(Alert a) {
        return new Target(clean(a.field("k8s.ns.name")), clean(a.field("k8s.pod.name")), clean(a.field("container.name")),
                clean(a.field("container.id")), clean(a.hostname()));
    }

    /** Falco prints {@code <NA>} for fields it could not resolve. */
    private static String clean(String s) {
        return s == null || s.isBlank() || s.equals("<NA>") ? "" : s.strip();
    }

    public boolean isKubernetes() {
        return !namespace.isEmpty() && !pod.isEmpty() && !container.isEmpty();
    }

    /** Whether there is any container at all (Falco's {@code container.id} is "host" for host processes). */
    public boolean hasContainer() {
        return isKubernetes() || !containerId.isEmpty() && !containerId.equals("host") || !container.isEmpty();
    }

    /**
     * The cool-down key: one checkpoint per container however many alerts it
     * raises. The Kubernetes identity is preferred because a container id
     * changes when the pod restarts, and a restarted container is a new suspect
     * only if it misbehaves again after the cool-down.
     */
    public String key() {
        if (isKubernetes()) return node + "/" + namespace + "/" + pod + "/" + container;
        if (!containerId.isEmpty()) return node + "/id:" + containerId;
        return node + "/name:" + container;
    }

    @Override
    public String toString() {
        if (isKubernetes()) return namespace + "/" + pod + "/" + container + (node.isEmpty() ? "" : " on " + node);
        return (container.isEmpty() ? containerId : container) + (node.isEmpty() ? "" : " on " + node);
    }
}
