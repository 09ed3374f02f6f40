package dev.stasis.sandbox.manifest;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The hardened restore manifests for one checkpoint, in the Kubernetes model the project uses
 * (fabric8), plus the YAML they print as. The model objects are built fresh for each
 * {@link RestoreManifests#generate} call; {@link #yaml()} was rendered from them then.
 *
 * @param files    single-file mounts (ConfigMap with empty placeholder content), or null when the checkpoint has none
 * @param mounts   every mount the restore must provide, with how it is provided
 * @param caveats  what will not come back, one line each
 */
public record RestoreManifest(Namespace namespace, ConfigMap files, Pod pod, NetworkPolicy policy,
                              List<ProvidedMount> mounts, List<String> caveats, String yaml) {

    /** One spec.dump mount and the volume that satisfies it in the restore pod. */
    public record ProvidedMount(String destination, String originalType, String volume, String kind) {}

    public RestoreManifest {
        mounts = List.copyOf(mounts);
        caveats = List.copyOf(caveats);
    }

    /** The objects in the order they must be applied. */
    public List<HasMetadata> objects() {
        List<HasMetadata> all = new ArrayList<>();
        all.add(namespace);
        if (files != null) all.add(files);
        all.add(policy);
        all.add(pod);
        return all;
    }
}
