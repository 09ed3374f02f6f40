package dev.stasis.cli.daemon;

import dev.stasis.cli.support.CommandTable;
import dev.stasis.cli.support.CommandTree;
import dev.stasis.cli.support.Invocation;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;

/**
 * One client's command, run in this JVM as if in one of its own: System.out,
 * System.err and picocli's writers go to the client, the environment, working
 * directory and terminal are the client's ({@link Invocation}), and standard input stays with the client (a read of it fails
 * at once, and what the command says after that is not sent: the client runs
 * the command elsewhere instead).
 */
final class ServedCommand {
    /** How long a command may go on after its client left before the JVM stops it by stopping. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);

    private ServedCommand() {}

    /** How a command ended: its exit code, whether it printed anything, whether it tried to read standard input. */
    record Outcome(int exitCode, boolean printed, boolean wantedStdin) {}

    /** Runs the request's command; the caller holds the JVM's turn, so the process-wide streams are this command's. */
    static Outcome run(CommandTree commands, DaemonProtocol.Request request, DataOutputStream toClient, InputStream fromClient, Runnable onAbandoned) {
        AtomicBoolean wantedStdin = new AtomicBoolean();
        FrameOutputStream stdout = new FrameOutputStream(toClient, DaemonProtocol.STDOUT, wantedStdin);
        FrameOutputStream stderr = new FrameOutputStream(toClient, DaemonProtocol.STDERR, wantedStdin);
        PrintStream out = new PrintStream(stdout, true), err = new PrintStream(stderr, true);
        PrintStream savedOut = System.out, savedErr = System.err;
        InputStream savedIn = System.in;
        AtomicBoolean finished = new AtomicBoolean();
        watchForDeparture(fromClient, finished, onAbandoned);
        System.setOut(out);
        System.setErr(err);
        System.setIn(new InputStream() {
            @Override
            public int read() throws IOException {
                wantedStdin.set(true);
                throw new IOException("standard input stays with the client");
            }
        });
        Invocation client = invocation(request);
        Invocation.serve(client);
        int code;
        try {
            CommandLine cl = commands.build(request.args());
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            // picocli colours help for a terminal; this JVM has none, the client may
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(client.colour() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
            code = cl.execute(request.args());
        } finally {
            out.flush();
            err.flush();
            Invocation.serve(null);
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.setIn(savedIn);
            finished.set(true);
        }
        return new Outcome(code, stdout.sentAny() || stderr.sentAny(), wantedStdin.get());
    }

    /** The client's environment (only the variables a client sends), directory and terminal. */
    static Invocation invocation(DaemonProtocol.Request request) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : CommandTable.PASSED_ENV) {
            String value = request.env().get(name);
            if (value != null) env.put(name, value);
        }
        Path cwd = request.cwd().startsWith("/") ? Path.of(request.cwd()) : Path.of(System.getProperty("user.dir"));
        return new Invocation(env, cwd, request.interactive());
    }

    /**
     * The client sends nothing after its request, so a read that returns is the
     * client going away: the user pressed Ctrl-C (the work should stop), or
     * whoever read the output has had enough. (Interrupting this read would close
     * the socket, so the thread is left to end with the connection.)
     */
    private static void watchForDeparture(InputStream fromClient, AtomicBoolean finished, Runnable onAbandoned) {
        Thread.ofPlatform().daemon().name("stasis-daemon-watch").start(() -> {
            try {
                fromClient.read();
            } catch (IOException e) {
                // closed either way
            }
            // a reader that stopped early (`| head`) leaves a command that is about to end anyway:
            // give it a moment rather than lose the warm JVM
            long deadline = System.nanoTime() + GRACE_NANOS;
            while (!finished.get() && System.nanoTime() < deadline) LockSupport.parkNanos(20_000_000L);
            if (!finished.get()) onAbandoned.run();
        });
    }
}
