package dev.stasis.evidence;

/** What was done (or attempted) to evidence. */
public enum CustodyAction {
    STORE, READ, EXPORT, VERIFY, DELETE,
    /** The evidence was created at its source (a checkpoint taken on a node); recorded once the item exists. */
    ACQUIRE,
    /** The source's copy was removed after the vault verified its own. */
    DISPOSE_SOURCE,
    /** An action taken on the evidence's subject because of the alert that produced it (label, isolate, notify). */
    RESPOND,
    /**
     * The custody log repaired itself after a fault: an incomplete last line (an append cut short by a
     * crash or a full disk) was cut off; the detail says how many bytes and where they were kept.
     */
    REPAIR
}
