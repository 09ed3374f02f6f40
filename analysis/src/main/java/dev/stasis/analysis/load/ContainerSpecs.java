package dev.stasis.analysis.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.analysis.detect.Capabilities;
import dev.stasis.analysis.subject.ContainerSpec;
import dev.stasis.analysis.subject.MountPoint;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.model.Mount;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the container was allowed, judged from the checkpoint's OCI spec
 * ({@link Checkpoint#spec()}, {@link Checkpoint#mounts()}) and the engine's
 * config: privileges, capabilities, mounts, namespaces shared with the host.
 * The checkpoint module parses; this class only interprets.
 */
final class ContainerSpecs {
    private static final List<String> ISOLATING = List.of("pid", "network", "ipc", "uts", "mount");
    private static final String NOT_CHECKED = "mounts, capabilities and privileges not checked";

    private ContainerSpecs() {}

    static ContainerSpec read(Checkpoint cp, List<String> notices) {
        JsonNode spec;
        JsonNode config;
        try {
            spec = cp.spec();
            if (spec == null) {
                notices.add("spec.dump missing: " + NOT_CHECKED);
                return ContainerSpec.empty();
            }
            config = engineConfig(cp);
        } catch (CheckpointException | IOException e) {
            notices.add("spec.dump or config.dump is not valid JSON: " + NOT_CHECKED);
            return ContainerSpec.empty();
        }
        JsonNode proc = spec.path("process");
        JsonNode capsNode = proc.path("capabilities");
        List<String> caps = strings(capsNode.path("effective"));
        if (caps.isEmpty()) caps = strings(capsNode.path("bounding"));
        var annotations = cp.container().annotations();
        boolean privileged = "TRUE".equalsIgnoreCase(annotations.get("io.podman.annotations.privileged"))
                || "true".equalsIgnoreCase(annotations.get("io.kubernetes.cri-o.Privileged"))
                || (config != null && config.path("privileged").asBoolean(false))
                || (caps.stream().map(Capabilities::normalise).anyMatch("SYS_ADMIN"::equals) && caps.size() >= 38);
        Integer uid = proc.path("user").has("uid") ? proc.path("user").path("uid").asInt() : null;
        return new ContainerSpec(strings(proc.path("args")), strings(proc.path("env")), privileged, caps, mounts(cp),
                hostNamespaces(spec), annotations, proc.path("noNewPrivileges").asBoolean(false),
                spec.path("root").path("readonly").asBoolean(false), uid);
    }

    /**
     * The engine's {@code config.dump}, or null. The checkpoint module reads it into
     * {@code Container} but does not expose the "privileged" flag, so it is parsed here.
     */
    private static JsonNode engineConfig(Checkpoint cp) throws IOException {
        Optional<byte[]> bytes = cp.archive().readIfPresent("config.dump");
        return bytes.isEmpty() ? null : new ObjectMapper().readTree(bytes.get());
    }

    private static List<MountPoint> mounts(Checkpoint cp) {
        List<MountPoint> out = new ArrayList<>();
        for (Mount m : cp.mounts()) {
            out.add(new MountPoint(m.destination() == null ? "" : m.destination(), m.type(), m.source(), m.options()));
        }
        return out;
    }

    /**
     * Namespaces shared with the host. A namespace with a path joins an existing one (Podman's
     * /run/netns, a pod sandbox's): not the host's. Only an absent namespace, or a path into
     * pid 1's namespaces, means sharing the host's. No namespace list at all says nothing.
     */
    private static List<String> hostNamespaces(JsonNode spec) {
        List<String> hostNs = new ArrayList<>();
        JsonNode ns = spec.path("linux").path("namespaces");
        if (!ns.isArray() || ns.isEmpty()) return hostNs;
        for (String t : ISOLATING) {
            boolean own = false;
            for (JsonNode n : ns) {
                if (t.equals(n.path("type").asText()) && !n.path("path").asText("").startsWith("/proc/1/")) own = true;
            }
            if (!own) hostNs.add(t);
        }
        return hostNs;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> out.add(x.asText()));
        return out;
    }
}
