package dev.stasis.cli.support;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns failures into one line on stderr and a non-zero exit code. Stack
 * traces are for developers only: set {@code STASIS_DEBUG=1} to see them.
 */
public final class Errors {
    /** Exit code for a run that failed on its input or environment. */
    public static final int FAILURE = 1;
    /** Exit code for a command line that does not parse (picocli's convention). */
    public static final int USAGE = 2;

    private Errors() {}

    public static int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println("stasis: " + oneLine(ex));
        if (debug()) ex.printStackTrace(err);
        err.flush();
        return ex instanceof ExitCodeException e ? e.exitCode() : FAILURE;
    }

    public static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        if (ex instanceof MissingCommand) {
            // a group run on its own: what it offers is the useful answer, but on stderr
            // and with a failing exit, so a script that forgot the command notices
            cl.usage(err, cl.getColorScheme());
            err.println("stasis: " + oneLine(ex));
            err.flush();
            return USAGE;
        }
        err.println("stasis: " + oneLine(ex));
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, err);
        }
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    /**
     * For a command group run without one of its commands ({@code stasis capture}):
     * throw what this returns, and the group's usage goes to stderr with exit 2.
     */
    public static CommandLine.ParameterException missingCommand(CommandLine.Model.CommandSpec spec) {
        return new MissingCommand(spec.commandLine());
    }

    private static final class MissingCommand extends CommandLine.ParameterException {
        MissingCommand(CommandLine cl) {
            super(cl, "'" + cl.getCommandSpec().qualifiedName() + "' needs a command: "
                    + String.join(", ", cl.getSubcommands().entrySet().stream()
                            .filter(e -> e.getKey().equals(e.getValue().getCommandName()) && !e.getKey().equals("help") && !e.getValue().getCommandSpec().usageMessage().hidden())
                            .map(java.util.Map.Entry::getKey).distinct().toList()));
        }
    }

    /** The exception's message on one line, with the cause's when it adds something. */
    public static String oneLine(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
            if (ex.getCause() != null && ex.getCause().getMessage() != null) msg += ": " + ex.getCause().getMessage();
        }
        if (ex instanceof OutOfMemoryError) msg = "out of memory (" + msg + "); raise -Xmx with STASIS_JAVA_OPTS";
        if (ex instanceof java.nio.file.NoSuchFileException) msg = "no such file: " + msg;
        if (ex instanceof java.nio.file.AccessDeniedException) msg = "permission denied: " + msg;
        return msg.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    static boolean debug() {
        return "1".equals(Invocation.current().env("STASIS_DEBUG"));
    }

    /** Thrown by a command that wants a specific exit code with its one-line message. */
    public static final class ExitCodeException extends RuntimeException {
        private final int exitCode;

        public ExitCodeException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }
}
