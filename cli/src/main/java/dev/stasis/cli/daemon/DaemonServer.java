package dev.stasis.cli.daemon;

import dev.stasis.cli.support.AotTraining;
import dev.stasis.cli.support.CommandTree;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The accept loop: one conversation per client, one command at a time, until
 * idle for too long. Apart from {@link DaemonCommand} so that tests can run it
 * in their own JVM.
 */
final class DaemonServer {
    /** How long a client waits for its turn before it runs the command in a JVM of its own. */
    private static final long WAIT_FOR_TURN_MS = 500; // about what a JVM of its own takes to start

    private final ServerSocketChannel channel;
    private final CommandTree commands;
    private final long idleNanos;
    private final Runnable onAbandoned;
    private final Path warmUpRoot;
    private final ReentrantLock turn = new ReentrantLock(true);
    private volatile long lastActive = System.nanoTime();

    /**
     * @param commands builds the command line each request runs (the root command, {@code Main})
     * @param onAbandoned what to do when a client leaves before its command ends (the background JVM halts)
     * @param warmUpRoot the project whose bundled examples to play first, so that the JIT has compiled the
     *     common paths before a user waits on them; null for none
     */
    DaemonServer(ServerSocketChannel channel, CommandTree commands, long idleNanos, Runnable onAbandoned, Path warmUpRoot) {
        this.channel = channel;
        this.commands = commands;
        this.idleNanos = idleNanos;
        this.onAbandoned = onAbandoned;
        this.warmUpRoot = warmUpRoot;
    }

    /** Accepts clients until idle for too long or the channel is closed. */
    void serve() {
        Thread idleWatch = Thread.ofPlatform().daemon().name("stasis-daemon-idle").start(this::closeWhenIdle);
        if (warmUpRoot != null) Thread.ofPlatform().daemon().name("stasis-daemon-warm-up").start(this::warmUp);
        try {
            while (channel.isOpen()) {
                SocketChannel client;
                try {
                    client = channel.accept();
                } catch (IOException closed) {
                    break;
                }
                lastActive = System.nanoTime();
                Thread.ofPlatform().name("stasis-daemon-client").start(() -> converse(client));
            }
        } finally {
            idleWatch.interrupt();
        }
        // let a command that is running finish before the JVM exits
        turn.lock();
        turn.unlock();
    }

    /** Held while a command runs (tests hold it to look busy). */
    ReentrantLock turn() {
        return turn;
    }

    private void converse(SocketChannel client) {
        try (client) {
            InputStream fromClient = Channels.newInputStream(client);
            DataOutputStream toClient = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client), 1 << 16));
            DaemonProtocol.Request request = DaemonProtocol.readRequest(new DataInputStream(new BufferedInputStream(fromClient)));
            if (!commands.table().served(request.args())) return; // the client sees the connection close and runs the command itself
            DaemonProtocol.writeFrame(toClient, DaemonProtocol.ACCEPTED, new byte[0]);
            if (!turn.tryLock(WAIT_FOR_TURN_MS, TimeUnit.MILLISECONDS)) {
                DaemonProtocol.writeFrame(toClient, DaemonProtocol.BUSY, new byte[0]);
                return;
            }
            try {
                ServedCommand.Outcome outcome = ServedCommand.run(commands, request, toClient, fromClient, onAbandoned);
                // a command that wanted standard input and printed nothing yet: hang up, and the
                // client runs it in a JVM of its own, with its standard input
                if (outcome.wantedStdin() && !outcome.printed()) return;
                if (outcome.wantedStdin()) {
                    DaemonProtocol.writeFrame(toClient, DaemonProtocol.STDERR,
                            "stasis: this command reads standard input; run it with STASIS_DAEMON=0\n".getBytes(StandardCharsets.UTF_8));
                }
                DaemonProtocol.writeExit(toClient, outcome.wantedStdin() ? 1 : outcome.exitCode());
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
     * Each example command takes the turn like a client's (the lock is fair, so a
     * client that arrives waits for one of them at most) and runs with its output
     * discarded.
     */
    private void warmUp() {
        try {
            AotTraining.play(warmUpRoot, commands, args -> commands.table().served(args) && warmsUp(args), command -> {
                turn.lock();
                try {
                    if (channel.isOpen()) command.run();
                } finally {
                    turn.unlock();
                }
            });
        } catch (IOException | RuntimeException e) {
            // a cold JIT is all it costs
        }
    }

    /**
     * Served commands, but not the memory scans: their hot loops, compiled after
     * a few runs over the small examples, scanned 1.1 GiB at 3-4 GB/s instead of
     * the 8-9 GB/s they reach when the first runs the compiler sees are big ones
     * (the same effect as the AOT cache's method profiles, see .mvn/stasis-jvm.sh).
     */
    private static boolean warmsUp(String[] args) {
        boolean memoryScan = args.length > 1 && args[0].equals("memory") && (args[1].equals("search") || args[1].equals("strings"));
        return !memoryScan;
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

    /** The modification time and size of the jar this JVM runs from ("gone" once deleted), or null when it runs from no jar. */
    private static String buildStamp() {
        try {
            Path jar = Path.of(DaemonServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(jar)) return null;
            if (!Files.isRegularFile(jar)) return "gone";
            return Files.getLastModifiedTime(jar).toMillis() + "." + Files.size(jar);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
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
}
