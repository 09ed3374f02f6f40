package dev.stasis.evidence;

/**
 * The outcome of a store.
 *
 * @param item      the item, with this store's provenance entry appended
 * @param duplicate true when the bytes were already in the vault (one item, one more provenance entry)
 */
public record StoreResult(EvidenceItem item, boolean duplicate) {}
