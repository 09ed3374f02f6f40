package dev.stasis.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Runs stasis commands in the test's JVM, and finds the project's bundled examples. */
public final class CliTesting {
    private CliTesting() {}

    /** What a command printed and how it ended. */
    public record Run(int exit, byte[] outBytes, String err) {
        public String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }
    }

    /** The project root: the surefire property stasis.root, else the first directory up from here that holds testdata. */
    public static Path root() {
        String prop = System.getProperty("stasis.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "testdata"))) return Path.of(prop);
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata"))) p = p.getParent();
        return p;
    }

    public static Path checkpoint(String name) {
        return root().resolve("testdata/checkpoints").resolve(name);
    }

    /** The command line for these arguments as Main wires it, run as {@code stasis ARGS}. */
    public static Run run(String... args) {
        return run(() -> Main.commandLine(args), args);
    }

    /**
     * Runs the command line {@code wiring} makes on {@code args} with everything it
     * prints captured: System.out, System.err and picocli's writers (synchronized: the
     * streams are the process's). The command line is made once the streams are
     * redirected: made before, its error messages went to the real stderr.
     */
    public static synchronized Run run(Supplier<CommandLine> wiring, String... args) {
        PrintStream savedOut = System.out, savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
            System.setOut(o);
            System.setErr(e);
            CommandLine cl = wiring.get();
            cl.setOut(new PrintWriter(o, true));
            cl.setErr(new PrintWriter(e, true));
            int exit = cl.execute(args);
            o.flush();
            e.flush();
            return new Run(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
