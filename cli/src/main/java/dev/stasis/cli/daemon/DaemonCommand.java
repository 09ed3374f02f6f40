package dev.stasis.cli.daemon;

import dev.stasis.cli.Main;
import dev.stasis.cli.support.Terminal;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The background JVM: serves the launcher's client ({@code .mvn/stasis-client.pl},
 * protocol in {@link DaemonProtocol}) on a UNIX socket, one
 * command at a time, until it has been idle for a while. Started by the
 * launcher; not meant to be run by hand.
 */
@Command(name = "daemon", hidden = true, description = "Internal: the background JVM that runs short commands for the launcher.")
public final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--socket", required = true, paramLabel = "PATH", description = "UNIX socket to listen on")
    Path socket;

    @Option(names = "--idle", defaultValue = "600", paramLabel = "SECONDS", description = "leave after this long without a command")
    long idleSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path lockFile = socket.resolveSibling(socket.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockChannel.tryLock()) {
            if (lock == null) return 0; // another background JVM already serves this socket
            // the pid, for `stasis daemon status|stop` in the launcher
            lockChannel.truncate(0).write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            Files.deleteIfExists(socket); // left by one that died
            // Killed, the JVM still runs its shutdown hooks while it holds the lock: the files go, so that
            // the next client does not knock at a dead socket. (Once the lock is released they may
            // already be a successor's, hence the flag.)
            AtomicBoolean removed = new AtomicBoolean();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (removed.compareAndSet(false, true)) removeQuietly(socket, lockFile);
            }));
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
                new Server(server, TimeUnit.SECONDS.toNanos(idleSeconds), () -> Runtime.getRuntime().halt(130)).serve();
            } finally {
                if (removed.compareAndSet(false, true)) removeQuietly(socket, lockFile);
            }
        }
        return 0;
    }

    private static void removeQuietly(Path... files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // the next background JVM replaces it
            }
        }
    }

    /**
     * The commands this JVM runs: the ones that read checkpoints and write
     * nothing but their output. They read no environment variable other than
     * those the launcher keys the JVM by (NO_COLOR, PATH for yara, the locale)
     * and keep no state between runs. The launcher keeps the same list so that
     * it need not start a client for anything else.
     */
    static final Set<String> SERVED = Set.of("inspect", "show", "list", "crit", "memory", "coredump", "extract", "analyze", "diff");

    static boolean served(String[] args) {
        if (args.length == 0 || !SERVED.contains(args[0])) return false;
        for (String a : args) if (a.equals("-")) return false; // standard input
        return true;
    }

    /** The accept loop, apart from the process so that tests can run it in theirs. */
    static final class Server {
        /** How long a client waits for the command before it runs one of its own. */
        private static final long WAIT_FOR_TURN_MS = 500; // about what a JVM of its own takes to start
        /** How long a command may go on after its client left before the JVM stops it by stopping. */
        private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);

        private final ServerSocketChannel channel;
        private final long idleNanos;
        private final Runnable onAbandoned;
        private final ReentrantLock turn = new ReentrantLock(true);
        private volatile long lastActive = System.nanoTime();

        /** @param onAbandoned what to do when a client leaves before its command ends (the daemon halts) */
        Server(ServerSocketChannel channel, long idleNanos, Runnable onAbandoned) {
            this.channel = channel;
            this.idleNanos = idleNanos;
            this.onAbandoned = onAbandoned;
        }

        /** Accepts clients until idle for too long or the channel is closed. */
        void serve() throws InterruptedException {
            Thread idleWatch = Thread.ofPlatform().daemon().name("stasis-daemon-idle").start(this::closeWhenIdle);
            try {
                while (channel.isOpen()) {
                    SocketChannel client;
                    try {
                        client = channel.accept();
                    } catch (IOException closed) {
                        break;
                    }
                    lastActive = System.nanoTime();
                    Thread.ofPlatform().name("stasis-daemon-client").start(() -> handle(client));
                }
            } finally {
                idleWatch.interrupt();
            }
            // let a command that is running finish before the JVM exits
            turn.lock();
            turn.unlock();
        }

        /** The modification time and size of the jar this JVM runs from, or null when it does not run from a jar. */
        private static String buildStamp() {
            try {
                Path jar = Path.of(DaemonCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!Files.isRegularFile(jar)) return "gone";
                return Files.getLastModifiedTime(jar).toMillis() + "." + Files.size(jar);
            } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
                return null;
            }
        }

        /** Whether the directory this JVM works in is still the one its path names. */
        static boolean stillInItsDirectory() {
            try {
                return Files.isSameFile(Path.of("/proc/self/cwd"), Path.of(System.getProperty("user.dir")));
            } catch (IOException | SecurityException e) {
                return false;
            }
        }

        /** Held while a command runs (tests hold it to look busy). */
        ReentrantLock turn() {
            return turn;
        }

        private void closeWhenIdle() {
            String build = buildStamp();
            try {
                while (true) {
                    Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleNanos) / 10));
                    // a rebuilt jar has a background JVM of its own (the launcher keys them by build): this one is done
                    boolean rebuilt = build != null && !build.equals(buildStamp());
                    if (!turn.isLocked() && (rebuilt || System.nanoTime() - lastActive > idleNanos)) {
                        channel.close();
                        return;
                    }
                }
            } catch (InterruptedException | IOException e) {
                // serve() is over
            }
        }

        private void handle(SocketChannel client) {
            try (client) {
                InputStream raw = Channels.newInputStream(client);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client), 1 << 16));
                DaemonProtocol.Request request = DaemonProtocol.readRequest(new DataInputStream(new BufferedInputStream(raw)));
                if (!served(request.args())) return; // the client sees the connection close and runs the command itself
                if (!stillInItsDirectory()) {
                    // the directory was removed (and maybe made anew under the same name): relative paths
                    // would land in the removed one, so this JVM leaves and the client runs the command
                    channel.close();
                    return;
                }
                synchronized (out) {
                    out.writeByte(DaemonProtocol.ACCEPTED);
                    out.writeInt(0);
                    out.flush();
                }
                if (!turn.tryLock(WAIT_FOR_TURN_MS, TimeUnit.MILLISECONDS)) {
                    synchronized (out) {
                        out.writeByte(DaemonProtocol.BUSY);
                        out.writeInt(0);
                        out.flush();
                    }
                    return;
                }
                try {
                    Outcome outcome = run(request, out, raw);
                    // a command that wanted standard input and printed nothing yet: hang up, and the
                    // client runs it in a JVM of its own, with its standard input
                    if (outcome.wantedStdin() && !outcome.printed()) return;
                    synchronized (out) {
                        if (outcome.wantedStdin()) {
                            byte[] msg = "stasis: this command reads standard input; run it with STASIS_DAEMON=0\n".getBytes(StandardCharsets.UTF_8);
                            out.writeByte(DaemonProtocol.STDERR);
                            out.writeInt(msg.length);
                            out.write(msg);
                        }
                        out.writeByte(DaemonProtocol.EXIT);
                        out.writeInt(outcome.wantedStdin() ? 1 : outcome.exitCode());
                        out.flush();
                    }
                    client.close();
                    releaseMappings();
                } finally {
                    lastActive = System.nanoTime();
                    turn.unlock();
                }
            } catch (IOException | InterruptedException e) {
                // the client is gone or was not ours; nothing to tell it
            }
        }

        /**
         * A memory search maps the checkpoint's page images, and the JDK unmaps a
         * mapping only when its buffer is collected. A JVM of its own would exit
         * instead; this one collects at once, after the client has its answer, so
         * that gigabytes of mappings do not pile up between commands.
         */
        private static void releaseMappings() {
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (pool.getName().equals("mapped") && pool.getCount() > 0) {
                    System.gc();
                    return;
                }
            }
        }

        /** How a command ended: its exit code, whether it printed anything, whether it tried to read standard input. */
        record Outcome(int exitCode, boolean printed, boolean wantedStdin) {}

        /**
         * Runs the command with System.out/err (and picocli's writers) going to the
         * client. Its standard input stays with the client: a read of it fails at
         * once, and what the command says after that failure is not sent (the
         * client runs the command elsewhere instead).
         */
        private Outcome run(DaemonProtocol.Request request, DataOutputStream socket, InputStream fromClient) {
            AtomicBoolean wantedStdin = new AtomicBoolean();
            FrameOutputStream stdout = new FrameOutputStream(socket, DaemonProtocol.STDOUT, wantedStdin);
            FrameOutputStream stderr = new FrameOutputStream(socket, DaemonProtocol.STDERR, wantedStdin);
            PrintStream out = new PrintStream(stdout, true), err = new PrintStream(stderr, true);
            PrintStream savedOut = System.out, savedErr = System.err;
            InputStream savedIn = System.in;
            AtomicBoolean finished = new AtomicBoolean();
            watchForDeparture(fromClient, finished);
            System.setOut(out);
            System.setErr(err);
            System.setIn(new InputStream() {
                @Override
                public int read() throws IOException {
                    wantedStdin.set(true);
                    throw new IOException("standard input stays with the client");
                }
            });
            Terminal.answerFor(request.interactive());
            int code;
            try {
                CommandLine cl = Main.commandLine(request.args());
                cl.setOut(new PrintWriter(out, true));
                cl.setErr(new PrintWriter(err, true));
                // picocli colours help for a terminal; this JVM has none, the client may
                cl.setColorScheme(CommandLine.Help.defaultColorScheme(request.interactive() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
                code = cl.execute(request.args());
            } finally {
                out.flush();
                err.flush();
                Terminal.answerFor(null);
                System.setOut(savedOut);
                System.setErr(savedErr);
                System.setIn(savedIn);
                finished.set(true);
            }
            return new Outcome(code, stdout.sentAny() || stderr.sentAny(), wantedStdin.get());
        }

        /**
         * The client sends nothing after its request, so a read that returns is
         * the client going away: the user pressed Ctrl-C (the work should stop), or
         * whoever read the output has had enough.
         * (Interrupting this read would close the socket, so the thread is left to
         * end with the connection.)
         */
        private void watchForDeparture(InputStream fromClient, AtomicBoolean finished) {
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
}
