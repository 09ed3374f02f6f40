package dev.stasis.sandbox;

import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real registry for the test class: Debian's {@code docker-registry} (distribution 2.8) on a
 * free loopback port, storing into a temporary directory; stopped and removed afterwards.
 * Register with {@code @RegisterExtension static LocalRegistry REGISTRY = new LocalRegistry();}.
 */
public final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {
    private static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private final String user;
    private final String password;
    private Process process;
    private Path dir;
    private int port;

    /** An open registry. */
    public LocalRegistry() {
        this(null, null);
    }

    /** A registry that wants this login (HTTP Basic, htpasswd with a bcrypt hash made by python3's crypt). */
    public LocalRegistry(String user, String password) {
        this.user = user;
        this.password = password;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isExecutable(BINARY)) return;
        dir = Files.createTempDirectory("stasis-registry-");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String auth = "";
        if (user != null) {
            Tools.Result h = Tools.run(java.util.List.of("python3", "-W", "ignore", "-c",
                    "import crypt,sys; print(sys.argv[1] + ':' + crypt.crypt(sys.argv[2], crypt.mksalt(crypt.METHOD_BLOWFISH)))", user, password));
            if (h.exit() != 0 || !h.out().contains(":$2")) return; // no bcrypt here: require() skips
            Files.writeString(dir.resolve("htpasswd"), h.out());
            auth = "auth:\n  htpasswd:\n    realm: stasis-test\n    path: " + dir.resolve("htpasswd") + "\n";
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port) + auth);
        process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            if (answers()) return;
            if (!process.isAlive()) break;
            Thread.sleep(100);
        }
        throw new IllegalStateException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL().openConnection();
            c.setConnectTimeout(200);
            int code = c.getResponseCode();
            return code == 200 || (user != null && code == 401);
        } catch (IOException e) {
            return false;
        }
    }

    /** Skips the calling test loudly when docker-registry is not installed. */
    public void require() {
        Tools.require("docker-registry");
        boolean up = process != null && process.isAlive();
        GroundTruth.require(up, "the test registry (docker-registry) did not start (htpasswd needs python3 crypt with bcrypt)");
    }

    /** {@code 127.0.0.1:PORT} */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
