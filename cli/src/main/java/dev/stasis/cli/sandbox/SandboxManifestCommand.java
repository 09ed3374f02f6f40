package dev.stasis.cli.sandbox;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.cli.support.DurationConverter;
import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.Json;
import dev.stasis.sandbox.manifest.ManifestOptions;
import dev.stasis.sandbox.manifest.RestoreManifest;
import dev.stasis.sandbox.manifest.RestoreManifests;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stasis sandbox manifest}: hardened Kubernetes manifests that restore a checkpoint image. */
@Command(name = "manifest", mixinStandardHelpOptions = true, description = {
        "Print hardened Kubernetes YAML that restores a checkpoint image in a cage.",
        "The YAML holds a forensic namespace with Pod Security labels, a NetworkPolicy that denies all ingress and all egress except to the",
        "sinkhole (pods labelled stasis.dev/role: sinkhole, DNS included), and the restore pod: original",
        "container name, every mount spec.dump lists backed by empty volumes (never host paths or",
        "secrets), no service-account token, no host namespaces, no privilege, limits, a deadline, a",
        "forensic node pool, evidence labels. The header comments say what will not come back.",
        "",
        "Example:",
        "  stasis sandbox manifest checkpoint.tar --image registry.example/forensics/bot:inc42 | kubectl apply -f -"})
final class SandboxManifestCommand implements Callable<Integer> {

    @Mixin
    SandboxSource source;

    @Option(names = "--image", required = true, paramLabel = "REF", description = "the checkpoint image (see 'stasis sandbox image --push')")
    String image;

    @Option(names = {"--namespace", "-n"}, paramLabel = "NS", defaultValue = "forensics", description = "forensic namespace (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--node-pool", paramLabel = "LABEL=VALUE", defaultValue = "stasis.dev/node-pool=forensics",
            description = "node label (and NoSchedule taint) of the forensic nodes (default: ${DEFAULT-VALUE})")
    String nodePool;

    @Option(names = "--cpu", paramLabel = "QUANTITY", description = "CPU limit (default: 1)")
    String cpu;

    @Option(names = "--memory", paramLabel = "QUANTITY", description = "memory limit (default: twice the checkpoint's memory pages, at least 512Mi)")
    String memory;

    @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "1h", description = "the pod is killed after this long: 90s, 30m, 1h (default: ${DEFAULT-VALUE})")
    String deadline;

    @Option(names = "--sinkhole-dns", paramLabel = "IP", description = "make the sinkhole at this address the pod's only name server")
    String sinkholeDns;

    @Mixin FormatOption format = FormatOption.of("output format (default: ${DEFAULT-VALUE})", OutputFormat.YAML, OutputFormat.JSON);

    @Override
    public Integer call() {
        boolean json = format.json();
        ManifestOptions options = ManifestOptions.forImage(image).withNamespace(namespace).withNodePool(nodePool)
                .withResources(cpu, memory).withDeadline(seconds(deadline)).withSinkholeDns(sinkholeDns);
        try (SandboxInput in = source.open()) {
            RestoreManifest m = RestoreManifests.generate(in.path, options);
            if (json) {
                KubernetesSerialization k8s = new KubernetesSerialization();
                List<Object> objects = new ArrayList<>();
                m.objects().forEach(o -> objects.add(parse(k8s.asJson(o))));
                // the objects are Kubernetes's own JSON (camelCase, as kubectl reads it)
                Map<String, Object> out = Json.document("sandbox-manifest", 1);
                out.put("objects", objects);
                List<Map<String, String>> mounts = new ArrayList<>();
                for (RestoreManifest.ProvidedMount pm : m.mounts()) {
                    Map<String, String> e = new LinkedHashMap<>();
                    e.put("destination", pm.destination());
                    e.put("original_type", pm.originalType());
                    e.put("volume", pm.volume());
                    e.put("kind", pm.kind());
                    mounts.add(e);
                }
                out.put("mounts", mounts);
                out.put("caveats", m.caveats());
                Json.print(out);
            } else {
                System.out.print(m.yaml());
                System.out.flush();
            }
        }
        return 0;
    }

    private static Object parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long seconds(String d) {
        try {
            return Math.max(1, DurationConverter.parse(d).toSeconds());
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException("--deadline: " + e.getMessage());
        }
    }
}
