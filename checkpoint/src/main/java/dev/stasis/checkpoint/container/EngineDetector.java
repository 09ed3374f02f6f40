package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.model.Engine;
import java.util.Map;

/**
 * Which engine wrote a checkpoint, from its bytes: the spec annotation {@code io.container.manager}
 * ("libpod" is Podman, "cri-o" is CRI-O) and, failing that, the members only one engine writes.
 */
public final class EngineDetector {
    private EngineDetector() {}

    public static Engine detect(CheckpointArchive archive, Map<String, String> annotations) {
        String manager = annotations.get("io.container.manager");
        if ("libpod".equals(manager)) return Engine.PODMAN;
        if ("cri-o".equals(manager)) return Engine.CRIO;
        if (annotations.keySet().stream().anyMatch(k -> k.startsWith("io.kubernetes.cri."))) return Engine.CONTAINERD;
        if (archive.has("network.status") || archive.has("ctr.log") || archive.member("devshm-checkpoint.tar").isPresent()) return Engine.PODMAN;
        if (archive.has("bind.mounts") || annotations.keySet().stream().anyMatch(k -> k.startsWith("io.kubernetes.cri-o."))) return Engine.CRIO;
        if (archive.has("status") || archive.has("status.dump")) return Engine.CONTAINERD;
        if (archive.has("spec.dump")) return Engine.CONTAINERD; // checkpointctl's default for an unmarked spec
        return Engine.UNKNOWN;
    }
}
