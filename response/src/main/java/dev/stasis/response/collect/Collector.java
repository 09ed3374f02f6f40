package dev.stasis.response.collect;

import dev.stasis.evidence.Provenance;
import dev.stasis.response.backend.Checkpoint;

/**
 * Moves a checkpoint archive off the machine that holds it into the evidence
 * vault: hash at the source, store (the vault checks the hash), then delete
 * the source copy. Throws {@link dev.stasis.response.action.ActionException}.
 */
public interface Collector {
    Collected collect(Checkpoint checkpoint, Provenance provenance, String reason, boolean keepSource);
}
