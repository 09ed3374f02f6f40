package dev.stasis.response.collect;

/**
 * An archive now in the vault.
 *
 * @param itemId    the vault item id (the SHA-256 of the bytes)
 * @param size      bytes stored
 * @param duplicate the same bytes were in the vault already
 * @param removed   the node's copy was removed
 */
public record Collected(String itemId, long size, boolean duplicate, boolean removed) {}
