package dev.stasis.capture.state;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Container ids from cgroup paths (docker, cri-o, containerd, podman, kubepods). */
final class ContainerIds {
    private ContainerIds() {}

    private static final Pattern ID = Pattern.compile(
            "(?:/docker/|docker-|/crio-|crio-|cri-containerd-|/libpod-|libpod-|/kubepods[^\\s]*/)([0-9a-f]{64})(?:\\.scope)?(?:/|$)");
    private static final Pattern BARE = Pattern.compile("/([0-9a-f]{64})(?:\\.scope)?$");

    /** The 12-character container id, or "" for host processes. */
    static String fromCgroups(List<String> cgroups) {
        for (String cg : cgroups) {
            int eq = cg.indexOf('=');
            String path = eq >= 0 ? cg.substring(eq + 1) : cg;
            Matcher m = ID.matcher(path);
            if (m.find()) {
                return m.group(1).substring(0, 12);
            }
            m = BARE.matcher(path);
            if (m.find() && (path.contains("kubepods") || path.contains("docker") || path.contains("containerd"))) {
                return m.group(1).substring(0, 12);
            }
        }
        return "";
    }

    static String type(List<String> cgroups) {
        for (String cg : cgroups) {
            if (cg.contains("crio-")) {
                return "cri-o";
            }
            if (cg.contains("cri-containerd-")) {
                return "containerd";
            }
            if (cg.contains("libpod-")) {
                return "podman";
            }
            if (cg.contains("docker")) {
                return "docker";
            }
        }
        return "docker";
    }
}
