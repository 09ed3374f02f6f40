package dev.stasis.checkpoint.model;

import java.util.List;

/**
 * What the container was started with, as its OCI spec ({@code spec.dump}) and the engine's
 * config ({@code config.dump}) record it: values as written, without judgement (whether
 * that amounts to a privileged container is analysis's call).
 *
 * @param args          {@code process.args}
 * @param env           {@code process.env}, "NAME=value" as written
 * @param effectiveCaps {@code process.capabilities.effective} ("CAP_SYS_ADMIN"); empty when absent
 * @param boundingCaps  {@code process.capabilities.bounding}
 * @param uid           {@code process.user.uid}, or null when the spec has none
 * @param noNewPrivileges {@code process.noNewPrivileges}
 * @param readOnlyRoot  {@code root.readonly}
 * @param namespaces    {@code linux.namespaces} in spec order; empty when the spec lists none
 * @param configPrivileged the engine config's {@code privileged} flag (Podman's config.dump)
 */
public record RuntimeSpec(List<String> args, List<String> env, List<String> effectiveCaps, List<String> boundingCaps,
                          Integer uid, boolean noNewPrivileges, boolean readOnlyRoot, List<Namespace> namespaces,
                          boolean configPrivileged) {
    public RuntimeSpec {
        args = List.copyOf(args);
        env = List.copyOf(env);
        effectiveCaps = List.copyOf(effectiveCaps);
        boundingCaps = List.copyOf(boundingCaps);
        namespaces = List.copyOf(namespaces);
    }

    /**
     * One {@code linux.namespaces} entry: {@code type} ("pid", "network", ...), and the
     * {@code path} of an existing namespace to join, or "" for a new one.
     */
    public record Namespace(String type, String path) {}
}
