package dev.stasis.evidence;

/** The parts of a stored item (and of the vault) a check can find altered or missing. */
public enum Part {
    /** the archive bytes */
    ARCHIVE,
    /** the manifest's content */
    MANIFEST,
    /** the manifest's signature (missing, malformed or made with another key) */
    SIGNATURE,
    /** a custody log record */
    LOG
}
