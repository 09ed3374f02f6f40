package dev.stasis.evidence;

/**
 * An item in the vault: its id (the SHA-256 of its bytes) and its signed manifest.
 *
 * @param id       the SHA-256 of the bytes, lower-case hex
 * @param manifest the manifest as stored (signature checked when the item was loaded)
 */
public record EvidenceItem(String id, Manifest manifest) {
    public long size() {
        return manifest.size();
    }
}
