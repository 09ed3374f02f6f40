package dev.stasis.analysis.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.analysis.detect.Capabilities;
import dev.stasis.analysis.subject.ContainerSpec;
import dev.stasis.analysis.subject.MountPoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The security-relevant parts of the OCI spec ({@code spec.dump}) and the
 * engine's config ({@code config.dump}): what the container was allowed.
 */
final class SpecReader {
    private static final List<String> ISOLATING = List.of("pid", "network", "ipc", "uts", "mount");

    private SpecReader() {}

    static ContainerSpec read(Optional<byte[]> specBytes, Optional<byte[]> configBytes, List<String> notices) {
        if (specBytes.isEmpty()) {
            notices.add("spec.dump missing: mounts, capabilities and privileges not checked");
            return ContainerSpec.empty();
        }
        JsonNode spec;
        JsonNode config = null;
        ObjectMapper m = new ObjectMapper();
        try {
            spec = m.readTree(specBytes.get());
            if (configBytes.isPresent()) config = m.readTree(configBytes.get());
        } catch (IOException e) {
            notices.add("spec.dump or config.dump is not valid JSON: mounts, capabilities and privileges not checked");
            return ContainerSpec.empty();
        }
        JsonNode proc = spec.path("process");
        List<String> args = strings(proc.path("args"));
        List<String> env = strings(proc.path("env"));
        JsonNode capsNode = proc.path("capabilities");
        List<String> caps = strings(capsNode.path("effective"));
        if (caps.isEmpty()) caps = strings(capsNode.path("bounding"));
        List<MountPoint> mounts = new ArrayList<>();
        for (JsonNode mt : spec.path("mounts")) {
            mounts.add(new MountPoint(mt.path("destination").asText(""), mt.path("type").asText(null), mt.path("source").asText(null),
                    strings(mt.path("options"))));
        }
        List<String> hostNs = new ArrayList<>();
        JsonNode ns = spec.path("linux").path("namespaces");
        if (ns.isArray() && !ns.isEmpty()) {
            for (String t : ISOLATING) {
                boolean own = false;
                // A namespace with a path joins an existing one (Podman's /run/netns, a pod sandbox's): not the host's.
                // Only an absent namespace, or a path into pid 1's namespaces, means sharing the host's.
                for (JsonNode n : ns) {
                    if (t.equals(n.path("type").asText()) && !n.path("path").asText("").startsWith("/proc/1/")) own = true;
                }
                if (!own) hostNs.add(t);
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        spec.path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        boolean privileged = "TRUE".equalsIgnoreCase(annotations.get("io.podman.annotations.privileged"))
                || "true".equalsIgnoreCase(annotations.get("io.kubernetes.cri-o.Privileged"))
                || (config != null && config.path("privileged").asBoolean(false))
                || (caps.stream().map(Capabilities::normalise).anyMatch("SYS_ADMIN"::equals) && caps.size() >= 38);
        Integer uid = proc.path("user").has("uid") ? proc.path("user").path("uid").asInt() : null;
        return new ContainerSpec(args, env, privileged, caps, mounts, hostNs, annotations, proc.path("noNewPrivileges").asBoolean(false),
                spec.path("root").path("readonly").asBoolean(false), uid);
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> out.add(x.asText()));
        return out;
    }
}
