package dev.stasis.sandbox.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.model.Container;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hardened Kubernetes manifests that restore a checkpoint image in a forensic namespace: the
 * namespace with Pod Security labels, the restore pod (original container name, every mount the
 * checkpoint's {@code spec.dump} needs backed by empty volumes, no token, no host namespaces, no
 * privilege, limits, a forensic node pool), and a NetworkPolicy that lets it talk to the
 * sinkhole only.
 */
public final class RestoreManifests {
    /** The label the sinkhole pod carries; the only egress the restore pod gets. */
    public static final String SINKHOLE_LABEL = "stasis.dev/role";
    public static final String SINKHOLE_VALUE = "sinkhole";
    public static final String RESTORE_LABEL = "stasis.dev/restore";
    static final String TERMINATION_LOG = "/dev/termination-log";
    /** What the baseline Pod Security Standard lets a container add (Kubernetes docs, "Capabilities"). */
    static final java.util.Set<String> BASELINE_CAPABILITIES = java.util.Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID",
            "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    private RestoreManifests() {}

    public static RestoreManifest generate(Path archive, ManifestOptions options) {
        String sha = sha256(archive);
        try (Checkpoint cp = Checkpoint.open(archive)) {
            if (!cp.archive().has("spec.dump") || !cp.archive().has("config.dump")) {
                throw new ManifestException(archive.getFileName() + " is not a container checkpoint (no spec.dump/config.dump)");
            }
            Container c = cp.container();
            String original = c.containerName() != null ? c.containerName() : c.name();
            if (original == null) throw new ManifestException(archive.getFileName() + " names no container");
            String ctrName = dnsLabel(original);
            String podName = dnsLabel("restore-" + ctrName);
            List<RequiredMounts.Required> required = RequiredMounts.of(cp.mounts());
            List<String> caveats = new ArrayList<>(Caveats.of(cp, c, ctrName));
            List<String> beyond = capabilities(cp.spec()).stream().filter(k -> !BASELINE_CAPABILITIES.contains(k)).toList();
            if (!beyond.isEmpty()) {
                caveats.add("the checkpoint's processes hold capabilities beyond the baseline Pod Security level (" + String.join(", ", beyond)
                        + "): CRIU cannot restore them without, and baseline admission refuses the pod. Restore only on an isolated forensic"
                        + " node, after relabelling the namespace pod-security.kubernetes.io/enforce=privileged on purpose.");
            }
            if (!required.isEmpty()) {
                caveats.add("the checkpoint's " + required.size() + " mount(s) come back empty, never from the host: "
                        + String.join(", ", required.stream().map(r -> r.destination() + (r.file() ? " (empty file)" : " (empty directory)")).toList())
                        + "; what the process had open in them is gone.");
            }

            Namespace ns = new NamespaceBuilder().withNewMetadata().withName(options.namespace())
                    .addToLabels("pod-security.kubernetes.io/enforce", "baseline")
                    .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
                    .addToLabels("pod-security.kubernetes.io/audit", "restricted")
                    .addToLabels("pod-security.kubernetes.io/warn", "restricted")
                    .addToLabels("stasis.dev/purpose", "forensics")
                    .endMetadata().build();

            List<Volume> volumes = new ArrayList<>();
            List<VolumeMount> mounts = new ArrayList<>();
            List<RestoreManifest.ProvidedMount> provided = new ArrayList<>();
            Map<String, String> fileData = new LinkedHashMap<>();
            String filesName = dnsLabel(podName + "-files");
            int n = 0;
            for (RequiredMounts.Required r : required) {
                if (r.file()) {
                    String key = fileKey(r.destination());
                    fileData.put(key, r.destination().equals("/etc/hosts") ? "127.0.0.1\tlocalhost\n::1\tlocalhost\n" : "");
                    mounts.add(new VolumeMountBuilder().withName("files").withMountPath(r.destination()).withSubPath(key).withReadOnly(true).build());
                    provided.add(new RestoreManifest.ProvidedMount(r.destination(), r.originalType(), "files", "configMap"));
                } else {
                    String vol = "mount-" + n++;
                    volumes.add(new VolumeBuilder().withName(vol).withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().build());
                    mounts.add(new VolumeMountBuilder().withName(vol).withMountPath(r.destination()).build());
                    provided.add(new RestoreManifest.ProvidedMount(r.destination(), r.originalType(), vol, "emptyDir"));
                }
            }
            ConfigMap files = null;
            if (!fileData.isEmpty()) {
                files = new ConfigMapBuilder().withNewMetadata().withName(filesName).withNamespace(options.namespace())
                        .addToLabels(evidenceLabels(podName)).endMetadata().withData(fileData).build();
                volumes.add(new VolumeBuilder().withName("files").withNewConfigMap().withName(filesName).withDefaultMode(0444).endConfigMap().build());
            }

            Map<String, Quantity> limits = new LinkedHashMap<>();
            limits.put("cpu", new Quantity(options.cpu()));
            limits.put("memory", new Quantity(options.memory() != null ? options.memory() : memoryFor(c)));
            limits.put("ephemeral-storage", new Quantity(options.ephemeralStorage()));

            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put("stasis.dev/source-sha256", sha);
            annotations.put("stasis.dev/source-archive", archive.getFileName().toString());
            put(annotations, "stasis.dev/container-id", c.id());
            put(annotations, "stasis.dev/container-name", c.name());
            put(annotations, "stasis.dev/original-pod", c.podName());
            put(annotations, "stasis.dev/original-namespace", c.namespace());
            put(annotations, "stasis.dev/original-ip", c.ip());
            if (c.checkpointed() != null) annotations.put("stasis.dev/checkpointed", c.checkpointed().toString());

            ContainerBuilder ctr = new ContainerBuilder().withName(ctrName).withImage(options.image()).withImagePullPolicy("IfNotPresent")
                    .withNewResources().withLimits(limits).withRequests(limits).endResources()
                    .withNewSecurityContext().withPrivileged(false).withAllowPrivilegeEscalation(false)
                    .withNewCapabilities().withDrop("ALL").withAdd(capabilities(cp.spec())).endCapabilities()
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext()
                    .withVolumeMounts(mounts);
            if (required.stream().anyMatch(r -> r.destination().equals(TERMINATION_LOG))) {
                // the kubelet mounts its own file at terminationMessagePath; keep it off the path the checkpoint needs
                ctr.withTerminationMessagePath("/dev/stasis-termination-log");
            }

            PodBuilder pod = new PodBuilder().withNewMetadata().withName(podName).withNamespace(options.namespace())
                    .addToLabels(evidenceLabels(podName)).addToLabels("stasis.dev/role", "restore")
                    .withAnnotations(annotations).endMetadata()
                    .withNewSpec()
                    .withAutomountServiceAccountToken(false)
                    .withEnableServiceLinks(false)
                    .withHostNetwork(false).withHostPID(false).withHostIPC(false).withShareProcessNamespace(false)
                    .withRestartPolicy("Never")
                    .withActiveDeadlineSeconds(options.activeDeadlineSeconds())
                    .withTerminationGracePeriodSeconds(5L)
                    .withNodeSelector(Map.of(options.nodePoolKey(), options.nodePoolValue()))
                    .addNewToleration().withKey(options.nodePoolKey()).withOperator("Equal").withValue(options.nodePoolValue())
                    .withEffect("NoSchedule").endToleration()
                    .withNewSecurityContext().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                    .withContainers(ctr.build())
                    .withVolumes(volumes)
                    .endSpec();
            if (options.sinkholeDns() != null) {
                pod.editSpec().withDnsPolicy("None").withNewDnsConfig().withNameservers(options.sinkholeDns()).endDnsConfig().endSpec();
            }
            Pod restorePod = pod.build();

            NetworkPolicy policy = new NetworkPolicyBuilder().withNewMetadata().withName(dnsLabel(podName + "-cage"))
                    .withNamespace(options.namespace()).addToLabels(evidenceLabels(podName)).endMetadata()
                    .withNewSpec()
                    .withNewPodSelector().addToMatchLabels(RESTORE_LABEL, podName).endPodSelector()
                    .withPolicyTypes("Ingress", "Egress")
                    // no ingress rule: nothing may connect to the restored container
                    .addNewEgress()
                    .withTo(new NetworkPolicyPeerBuilder().withNewPodSelector().addToMatchLabels(SINKHOLE_LABEL, SINKHOLE_VALUE).endPodSelector().build())
                    .endEgress()
                    .addNewEgress()
                    .withTo(new NetworkPolicyPeerBuilder().withNewPodSelector().addToMatchLabels(SINKHOLE_LABEL, SINKHOLE_VALUE).endPodSelector().build())
                    .withPorts(new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(53)).build(),
                            new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(53)).build())
                    .endEgress()
                    .endSpec().build();

            List<String> header = new ArrayList<>();
            header.add("stasis sandbox manifest: restore of container '" + original + "'" + (c.id() == null ? "" : " (" + shortId(c.id()) + ")")
                    + " from " + archive.getFileName() + ", sha256 " + sha);
            header.add("image " + options.image() + "; namespace " + options.namespace() + "; node pool " + options.nodePoolKey() + "=" + options.nodePoolValue());
            header.add("Start the sinkhole first: a pod labelled " + SINKHOLE_LABEL + ": " + SINKHOLE_VALUE + " in namespace " + options.namespace()
                    + ", the only peer the NetworkPolicy allows (any port, DNS included).");
            header.add("");
            header.add("What will not come back:");
            for (String cav : caveats) header.add("  - " + cav);
            RestoreManifest result = new RestoreManifest(ns, files, restorePod, policy, provided, caveats, "");
            String yaml = ManifestYaml.render(header, result.objects());
            return new RestoreManifest(ns, files, restorePod, policy, provided, caveats, yaml);
        }
    }

    private static Map<String, String> evidenceLabels(String podName) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("app.kubernetes.io/managed-by", "stasis");
        l.put("stasis.dev/evidence", "checkpoint-restore");
        l.put(RESTORE_LABEL, podName);
        return l;
    }

    /** The checkpoint's bounding set as Kubernetes names ("CHOWN"): CRIU restores the processes' capabilities and fails on any the container lacks. */
    private static List<String> capabilities(JsonNode spec) {
        List<String> caps = new ArrayList<>();
        JsonNode b = spec == null ? null : spec.path("process").path("capabilities").path("bounding");
        if (b != null && b.isArray()) b.forEach(x -> caps.add(x.asText().replaceFirst("^CAP_", "")));
        return caps;
    }

    /** Twice the dumped memory pages, at least 512Mi: the restored processes need their pages back plus room to run. */
    private static String memoryFor(Container c) {
        long pages = c.sizes() == null ? 0 : c.sizes().memoryPages();
        long mib = Math.max(512, (2 * pages + (1 << 20) - 1) >> 20);
        return mib + "Mi";
    }

    private static String fileKey(String destination) {
        String k = destination.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "-");
        return k.isEmpty() ? "root" : k;
    }

    static String dnsLabel(String s) {
        String l = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        if (l.length() > 63) l = l.substring(0, 63).replaceAll("-$", "");
        return l.isEmpty() ? "restored" : l;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) m.put(k, v);
    }

    /** SHA-256 of the archive file as a stream (a directory input has none: its members are hashed nowhere). */
    static String sha256(Path archive) {
        if (!Files.exists(archive)) throw new ManifestException("no such file: " + archive);
        if (!Files.isRegularFile(archive)) return "none (directory)";
        try (InputStream in = Files.newInputStream(archive)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) sha.update(buf, 0, r);
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new ManifestException("cannot read " + archive + ": " + e.getMessage());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
