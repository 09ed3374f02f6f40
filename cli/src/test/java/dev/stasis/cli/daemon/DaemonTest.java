package dev.stasis.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.cli.CliTesting;
import dev.stasis.cli.CliTesting.Run;
import dev.stasis.cli.Main;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background JVM seen through the launcher's real client (Perl, as the
 * launcher runs it): a served command prints exactly what the same command
 * prints in a JVM of its own, with the same exit code, and whatever the
 * background JVM will not or cannot run comes back as the client's "run it
 * yourself" codes with nothing printed.
 */
class DaemonTest {
    @TempDir
    Path dir;

    private Path socket;
    private ServerSocketChannel channel;
    private DaemonServer server;
    private CompletableFuture<Void> serving;
    private final AtomicInteger abandoned = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        boolean perl = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "perl")));
        if (!perl) System.err.println("SKIPPED DaemonTest: perl is not installed (Debian: perl-base)");
        Assumptions.assumeTrue(perl, "perl is not installed");
        socket = dir.resolve("t.sock");
        channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        server = new DaemonServer(channel, new Main(), TimeUnit.MINUTES.toNanos(5), abandoned::incrementAndGet, null);
        // threads of their own: the common pool has one worker on a two-core machine
        serving = new CompletableFuture<>();
        Thread.ofPlatform().name("test-daemon").start(() -> {
            try {
                server.serve();
                serving.complete(null);
            } catch (Throwable e) {
                serving.completeExceptionally(e);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (channel == null) return;
        channel.close();
        serving.get(30, TimeUnit.SECONDS);
    }

    private static String capture(String name) {
        return CliTesting.root().resolve("testdata/captures").resolve(name).toString();
    }

    private static String archive(String name) {
        return CliTesting.checkpoint(name).toString();
    }

    /** The launcher's client, run as the launcher runs it. */
    private Run client(Path sock, String... args) throws Exception {
        return clientIn(null, sock, args);
    }

    /** The client run in directory {@code cwd} (null: this JVM's). */
    private Run clientIn(Path cwd, Path sock, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("perl", CliTesting.root().resolve(".mvn/stasis-client.pl").toString(), sock.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (cwd != null) pb.directory(cwd.toFile());
        Process p = pb.start();
        CompletableFuture<byte[]> err = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                err.complete(p.getErrorStream().readAllBytes());
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, new String(err.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    @Test
    void servedCommandsPrintWhatTheirOwnJvmPrints() throws Exception {
        // twice over: the second round runs in a JVM that has run every command before
        for (int round = 0; round < 2; round++) compareEveryServedCommand(round);
        assertThat(abandoned).hasValue(0);
    }

    private void compareEveryServedCommand(int round) throws Exception {
        for (String[] args : List.of(
                new String[] {"inspect", "--all", "--format", "json", archive("irc-bot.tar")},
                new String[] {"inspect", "--ps-tree", archive("fileless-miner.tar.gz")},
                new String[] {"show", archive("benign-web.tar.zst"), archive("irc-bot.tar.zst")},
                new String[] {"memory", "search", archive("irc-bot.tar"), "--text", "PRIVMSG", "--format", "json"},
                new String[] {"memory", "artefacts", archive("fileless-miner.tar.gz"), "--format", "json"},
                new String[] {"crit", "x", archive("irc-bot.tar"), "ps"},
                new String[] {"analyze", archive("irc-bot.tar.zst")},
                new String[] {"diff", archive("irc-bot.pre.tar.zst"), archive("irc-bot.tar.zst")},
                new String[] {"capture", "events", capture("falco_cat_write.scap")},
                new String[] {"capture", "stats", "--format", "json", capture("falco_cat_write.scap")},
                new String[] {"policy", "check", CliTesting.root().resolve("response/examples/policy.yaml").toString()})) {
            Run expected = CliTesting.run(args); // in this JVM, without the background JVM: what the client must reproduce
            Run served = client(socket, args);
            assertThat(expected.exit()).as(expected.err()).isZero();
            assertThat(expected.outBytes()).as("%s printed something", args[0]).hasSizeGreaterThan(100);
            assertThat(served.exit()).as(served.err()).isZero();
            assertThat(served.outBytes()).as("round %d: %s", round, String.join(" ", args)).isEqualTo(expected.outBytes());
            assertThat(served.err()).isEqualTo(expected.err());
        }
    }

    /**
     * One background JVM serves every directory: a client elsewhere sends its own, and its
     * relative paths (inputs and outputs) mean what they mean there.
     */
    @Test
    void relativePathsAreTheClientsDirectorys() throws Exception {
        Path checkpoints = CliTesting.root().resolve("testdata/checkpoints");
        Run expected = CliTesting.run("show", archive("irc-bot.tar"));
        Run served = clientIn(checkpoints, socket, "show", "irc-bot.tar");
        assertThat(served.exit()).as(served.err()).isZero();
        assertThat(served.out()).isEqualTo(expected.out());

        Run crit = clientIn(dir, socket, "crit", "decode", "-i", archive("irc-bot.tar") + ":checkpoint/pstree.img", "-o", "pstree.json");
        assertThat(crit.exit()).as(crit.err()).isZero();
        assertThat(dir.resolve("pstree.json")).isNotEmptyFile();
        assertThat(Path.of(System.getProperty("user.dir")).resolve("pstree.json")).doesNotExist();

        Run missing = clientIn(dir, socket, "inspect", "no-such.tar");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("stasis: ").contains(dir.resolve("no-such.tar").toString());
    }

    @Test
    void failuresKeepTheirMessageAndExitCode() throws Exception {
        String missing = dir.resolve("no-such.tar").toString();
        for (String[] args : List.of(new String[] {"inspect", missing}, new String[] {"show", "--no-such-option", missing})) {
            Run expected = CliTesting.run(args); // in this JVM, without the background JVM: what the client must reproduce
            Run served = client(socket, args);
            assertThat(expected.exit()).isIn(1, 2);
            assertThat(served.exit()).isEqualTo(expected.exit());
            assertThat(served.err()).isEqualTo(expected.err()).startsWith("stasis: ");
            assertThat(served.out()).isEmpty();
        }
    }

    @Test
    void commandsItDoesNotServeComeBackUnrun() throws Exception {
        // capture record traces live processes and the evidence commands write; "-" is standard
        // input, and crit decode without -i reads it too (found out only when it tries)
        for (String[] args : List.of(new String[] {"capture", "record", "--", "true"}, new String[] {"evidence", "list"}, new String[] {"crit", "decode", "-i", "-"},
                new String[] {"crit", "decode"}, new String[] {"crit", "info", "-"}, new String[] {}, new String[] {"serve"})) {
            Run r = client(socket, args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(224);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEmpty();
        }
        assertThat(client(socket, "show", archive("irc-bot.tar")).exit()).isZero();
    }

    @Test
    void noBackgroundJvmMeansRunItYourself() throws Exception {
        Run r = client(dir.resolve("nobody.sock"), "show", archive("irc-bot.tar"));
        assertThat(r.exit()).isEqualTo(222);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aStuckBackgroundJvmIsGivenUpOnWithinSeconds() throws Exception {
        // a socket that takes connections (the kernel's backlog) but never answers, like a frozen JVM
        Path stuck = dir.resolve("stuck.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(stuck));
            Run r = client(stuck, "show", archive("irc-bot.tar")); // client() fails the test if it waits a minute
            assertThat(r.exit()).isEqualTo(222);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void aBusyBackgroundJvmSendsTheClientAway() throws Exception {
        server.turn().lock();
        try {
            Run r = client(socket, "show", archive("irc-bot.tar"));
            assertThat(r.exit()).isEqualTo(223);
            assertThat(r.out()).isEmpty();
        } finally {
            server.turn().unlock();
        }
        assertThat(client(socket, "show", archive("irc-bot.tar")).exit()).isZero();
    }

    @Test
    void aStrangerIsHungUpOnAndTheNextClientServed() throws Exception {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.allocate(16);
            assertThat(c.read(b)).isEqualTo(-1);
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            // right magic and version, then two billion arguments
            ByteBuffer b = ByteBuffer.allocate(17).putInt(DaemonProtocol.MAGIC).putInt(DaemonProtocol.VERSION).put((byte) 0).putInt(0)
                    .putInt(Integer.MAX_VALUE).flip();
            c.write(b);
            assertThat(c.read(ByteBuffer.allocate(16))).isEqualTo(-1);
        }
        assertThat(client(socket, "show", archive("irc-bot.tar")).exit()).isZero();
    }
}
