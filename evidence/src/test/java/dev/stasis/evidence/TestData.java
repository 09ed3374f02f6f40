package dev.stasis.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds the project's testdata and runs the external tools the tests take ground truth from. */
public final class TestData {
    private TestData() {}

    static Path root() {
        String prop = System.getProperty("stasis.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "testdata"))) return Path.of(prop);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isDirectory(p.resolve("testdata"))) return p;
        throw new IllegalStateException("testdata/ not found from " + Path.of("").toAbsolutePath());
    }

    static Path checkpoint(String name) {
        return root().resolve("testdata/checkpoints").resolve(name);
    }

    /** The SHA-256 that coreutils' sha256sum prints for the file: ground truth independent of the vault. */
    static String sha256sum(Path file) {
        Result r = run(file.getParent(), "sha256sum", file.getFileName().toString());
        if (r.exit != 0) throw new IllegalStateException("sha256sum failed: " + r.output);
        return r.output.substring(0, 64);
    }

    /** sha256sum of a string fed on standard input. */
    public static String sha256OfString(String text) {
        try {
            Process p = new ProcessBuilder("sha256sum").redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out.substring(0, 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Result(int exit, String output) {}

    static Result run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":"))
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }

    static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static Actor tester() {
        return new Actor("tester", "test-host", "junit");
    }
}
