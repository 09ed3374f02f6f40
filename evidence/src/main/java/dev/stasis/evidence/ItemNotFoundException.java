package dev.stasis.evidence;

/** No item with that id (or id prefix) is in the vault. */
public final class ItemNotFoundException extends EvidenceException {
    public ItemNotFoundException(String message) {
        super(message);
    }
}
