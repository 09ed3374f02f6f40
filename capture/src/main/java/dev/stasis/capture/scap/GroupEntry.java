package dev.stasis.capture.scap;

/** A group from a user list block. */
public record GroupEntry(int gid, String name) {
}
