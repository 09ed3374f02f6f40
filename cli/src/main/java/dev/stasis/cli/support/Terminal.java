package dev.stasis.cli.support;

/**
 * Whether a person is watching: progress bars and colours are for a terminal
 * only. One place decides, because a command served by the background JVM
 * (see {@code dev.stasis.cli.daemon}) has no terminal of its own and must ask
 * the client's instead.
 */
public final class Terminal {
    private static volatile Boolean clientAnswer;

    private Terminal() {}

    /** True when the command's user sits at a terminal (stdin and stdout are one). */
    public static boolean interactive() {
        Boolean answer = clientAnswer;
        return answer != null ? answer : System.console() != null;
    }

    /** Used by the background JVM for the duration of one client's command; null gives the question back to this JVM. */
    public static void answerFor(Boolean interactive) {
        clientAnswer = interactive;
    }
}
