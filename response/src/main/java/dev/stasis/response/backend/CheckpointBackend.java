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

    /**
     * Checkpoints for one action of one alert ({@code actionId}, stable across
     * restarts): a backend that chooses the archive's name derives it from
     * the action, so that a resumed action can find what an interrupted
     * attempt left (see {@link #recover}).
     */
    default Checkpoint checkpoint(Target target, CheckpointOptions options, String actionId) {
        return checkpoint(target, options);
    }

    /**
     * An attempt of this action started and the engine stopped before its
     * outcome was recorded. Returns the archive that attempt finished (then
     * no second checkpoint is taken), or none, having removed whatever
     * partial archive it left; the note says which, for the journal and the
     * custody log.
     */
    default Recovery recover(Target target, CheckpointOptions options, String actionId) {
        return new Recovery(null, "an earlier attempt was interrupted; this backend cannot tell what it left, so the checkpoint is taken again");
    }

    /** @param adopted the interrupted attempt's finished archive, or null; @param note what was found and done */
    record Recovery(Checkpoint adopted, String note) {}
}
