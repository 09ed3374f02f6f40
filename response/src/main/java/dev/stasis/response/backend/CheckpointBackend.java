package dev.stasis.response.backend;

import dev.stasis.response.action.ActionException;
import dev.stasis.response.alert.Target;

/**
 * Something that can checkpoint a container: the local podman, a node's
 * kubelet, and later a CRI runtime directly (CheckpointContainer RPC).
 * Implementations are thread-safe; they throw {@link ActionException} with a
 * message that says what went wrong in the user's terms.
 */
public interface CheckpointBackend {
    String name();

    Checkpoint checkpoint(Target target, CheckpointOptions options);
}
