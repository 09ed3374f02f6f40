package dev.stasis.cli.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import dev.stasis.cli.support.CommandTree;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The background JVM: serves the launcher's client ({@code .mvn/stasis-client.pl},
 * protocol in {@link DaemonProtocol}) on a UNIX socket, one command at a time
 * ({@link DaemonServer}), until it has been idle for a while. Started by the
 * launcher; not meant to be run by hand. This class owns the socket's files.
 */
@Command(name = "daemon", hidden = true, description = "Internal: the background JVM that runs short commands for the launcher.")
public final class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--socket", required = true, paramLabel = "PATH", description = "UNIX socket to listen on")
    Path socket;

    @Option(names = "--idle", defaultValue = "600", paramLabel = "SECONDS", description = "leave after this long without a command")
    long idleSeconds;

    @Option(names = "--warm-up", paramLabel = "ROOT", description = "play the bundled examples of the project at ROOT first")
    Path warmUp;

    @Override
    public Integer call() throws IOException {
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
                new DaemonServer(server, CommandTree.of(spec), TimeUnit.SECONDS.toNanos(idleSeconds), () -> Runtime.getRuntime().halt(130), warmUp).serve();
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
}
