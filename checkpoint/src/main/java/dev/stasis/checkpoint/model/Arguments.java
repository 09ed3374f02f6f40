package dev.stasis.checkpoint.model;

import java.util.List;

/**
 * A NUL-separated string area read from a process's memory (argv between {@code mm.arg_start} and
 * {@code arg_end}, or the environment between {@code env_start} and {@code env_end}), shown as found.
 * A process can rewrite these areas (perl's {@code $0}), so entries need not look like
 * {@code KEY=VALUE} and the area may be partly unreadable.
 *
 * @param entries  the strings in order, decoded as UTF-8 with invalid bytes replaced
 * @param source   where they came from
 * @param note     why they are incomplete, or null
 */
public record Arguments(List<String> entries, Source source, String note) {
    public enum Source {
        /** Read from the checkpoint's memory pages. */
        MEMORY,
        /** Memory unavailable (dead or zombie task, pages missing): taken from the OCI spec for the init process. */
        SPEC,
        /** Nothing could be read. */
        NONE
    }

    public Arguments {
        entries = List.copyOf(entries);
    }

    public static Arguments none(String note) {
        return new Arguments(List.of(), Source.NONE, note);
    }

    /** Space-joined, as a shell would show it. */
    public String joined() {
        return String.join(" ", entries);
    }
}
