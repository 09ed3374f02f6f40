package dev.stasis.evidence;

/**
 * One thing a check found wrong.
 *
 * @param part    which part is altered or missing
 * @param item    the item id, or null for a vault-wide problem
 * @param seq     the custody record's sequence number for {@link Part#LOG}, else 0
 * @param message one line saying what was found
 */
public record Problem(Part part, String item, long seq, String message) {}
