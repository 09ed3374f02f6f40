package dev.stasis.cli.support;

/**
 * Whether a person is watching: progress bars and colours are for a terminal
 * only. One place decides, because a command served by the background JVM
 * (see {@code dev.stasis.cli.daemon}) has no terminal of its own and must ask
 * the client's instead ({@link Invocation}).
 */
public final class Terminal {
    private Terminal() {}

    /** True when the command's user sits at a terminal (stdin and stdout are one). */
    public static boolean interactive() {
        return Invocation.current().interactive();
    }

    /** True when the output may be coloured: a terminal, no {@code NO_COLOR}, not {@code TERM=dumb}. */
    public static boolean colour() {
        return Invocation.current().colour();
    }
}
