package dev.stasis.capture.scap;

/**
 * One parameter of an event: its name, type and print format. {@code flagTable}
 * names the flag/enum table used to decode FLAGS/ENUMFLAGS/MODE values (empty if none);
 * {@code dirfdIndex} is the index of the dirfd parameter of a FSRELPATH, or -1.
 */
public record ParamInfo(String name, ParamType type, ParamFormat format, String flagTable, int dirfdIndex) {
}
