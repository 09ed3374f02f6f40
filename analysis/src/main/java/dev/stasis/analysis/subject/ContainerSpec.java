package dev.stasis.analysis.subject;

import java.util.List;
import java.util.Map;

/**
 * What the container was started with (OCI spec and engine config): the
 * configuration risks live here, not in the processes.
 *
 * @param capabilities effective capability names as the spec lists them ("CAP_SYS_PTRACE")
 * @param hostNamespaces namespaces shared with the host (no path = new namespace; a path or absence = host)
 */
public record ContainerSpec(List<String> args, List<String> env, boolean privileged, List<String> capabilities,
                            List<MountPoint> mounts, List<String> hostNamespaces, Map<String, String> annotations,
                            boolean noNewPrivileges, boolean readOnlyRoot, Integer uid) {
    public ContainerSpec {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        hostNamespaces = hostNamespaces == null ? List.of() : List.copyOf(hostNamespaces);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static ContainerSpec empty() {
        return new ContainerSpec(null, null, false, null, null, null, null, false, false, null);
    }
}
