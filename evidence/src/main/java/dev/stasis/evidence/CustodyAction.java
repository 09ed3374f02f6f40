package dev.stasis.evidence;

/** What was done (or attempted) to evidence. */
public enum CustodyAction {
    STORE, READ, EXPORT, VERIFY, DELETE
}
