package dev.stasis.sandbox.manifest;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to shape the restore manifests. Defaults: namespace {@code forensics}, node pool
 * {@code stasis.dev/node-pool=forensics}, 1 CPU, memory sized from the checkpoint's memory pages
 * (at least 512Mi), 1Gi of ephemeral storage, a one-hour deadline.
 *
 * @param image               the checkpoint image reference (from {@code stasis sandbox image --push})
 * @param memory              a Kubernetes quantity, or null to size from the checkpoint
 * @param activeDeadlineSeconds the pod is killed after this long, whatever it is doing
 * @param sinkholeDns         the sinkhole's IP to use as the pod's only name server, or null to keep
 *                            the cluster's DNS (which the NetworkPolicy then blocks)
 */
public record ManifestOptions(String image, String namespace, String nodePoolKey, String nodePoolValue, String cpu,
                              String memory, String ephemeralStorage, long activeDeadlineSeconds, String sinkholeDns) {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    public ManifestOptions {
        Objects.requireNonNull(image, "image");
        if (image.isBlank()) throw new ManifestException("--image is empty");
        namespace = namespace == null ? "forensics" : namespace;
        if (!DNS_LABEL.matcher(namespace).matches()) throw new ManifestException("invalid namespace name: " + namespace);
        nodePoolKey = nodePoolKey == null ? "stasis.dev/node-pool" : nodePoolKey;
        nodePoolValue = nodePoolValue == null ? "forensics" : nodePoolValue;
        if (!LABEL_KEY.matcher(nodePoolKey).matches()) throw new ManifestException("invalid node pool label key: " + nodePoolKey);
        if (!LABEL_VALUE.matcher(nodePoolValue).matches()) throw new ManifestException("invalid node pool label value: " + nodePoolValue);
        cpu = cpu == null ? "1" : cpu;
        ephemeralStorage = ephemeralStorage == null ? "1Gi" : ephemeralStorage;
        if (activeDeadlineSeconds <= 0) activeDeadlineSeconds = 3600;
    }

    public static ManifestOptions forImage(String image) {
        return new ManifestOptions(image, null, null, null, null, null, null, 0, null);
    }

    public ManifestOptions withNamespace(String ns) {
        return new ManifestOptions(image, ns, nodePoolKey, nodePoolValue, cpu, memory, ephemeralStorage, activeDeadlineSeconds, sinkholeDns);
    }

    /** {@code LABEL=VALUE}, the label the forensic nodes carry (and taint with, NoSchedule). */
    public ManifestOptions withNodePool(String labelEqualsValue) {
        int eq = labelEqualsValue.indexOf('=');
        if (eq <= 0) throw new ManifestException("--node-pool wants LABEL=VALUE, not " + labelEqualsValue);
        return new ManifestOptions(image, namespace, labelEqualsValue.substring(0, eq), labelEqualsValue.substring(eq + 1), cpu, memory,
                ephemeralStorage, activeDeadlineSeconds, sinkholeDns);
    }

    public ManifestOptions withResources(String cpu, String memory) {
        return new ManifestOptions(image, namespace, nodePoolKey, nodePoolValue, cpu, memory, ephemeralStorage, activeDeadlineSeconds, sinkholeDns);
    }

    public ManifestOptions withDeadline(long seconds) {
        return new ManifestOptions(image, namespace, nodePoolKey, nodePoolValue, cpu, memory, ephemeralStorage, seconds, sinkholeDns);
    }

    public ManifestOptions withSinkholeDns(String ip) {
        return new ManifestOptions(image, namespace, nodePoolKey, nodePoolValue, cpu, memory, ephemeralStorage, activeDeadlineSeconds, ip);
    }
}
