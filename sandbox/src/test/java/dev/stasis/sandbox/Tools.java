package dev.stasis.sandbox;

import dev.stasis.testsupport.GroundTruth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real tools the tests take their ground truth from (skopeo, tar, buildah, podman). */
public final class Tools {
    private Tools() {}

    public record Result(int exit, String out, String err) {}

    /** Skips the calling test loudly when the tool is not installed (fails it under STASIS_CI_STRICT=1). */
    public static void require(String tool) {
        boolean found = List.of("/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/bin/").stream().anyMatch(d -> Files.isExecutable(Path.of(d + tool)));
        GroundTruth.require(found, tool + " is not installed (.ci/run installs it)");
    }

    public static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread t = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish");
            }
            t.join();
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static String ok(String... command) {
        Result r = run(List.of(command));
        if (r.exit() != 0) throw new AssertionError(String.join(" ", command) + " failed (" + r.exit() + "): " + r.err());
        return r.out();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
