package dev.stasis.capture.scap;

/** A user from a user list block. */
public record UserEntry(int uid, int gid, String name, String homedir, String shell) {
}
