package dev.stasis.sandbox.run.cage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.sandbox.run.Host;
import dev.stasis.sandbox.run.SandboxException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code podman --runtime runc container restore --import COPY [--tcp-established] --print-stats}
 * and where the restored processes are afterwards.
 */
public final class PodmanRestore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Podman's and CRIU's restore statistics as printed by --print-stats, and the wall time it took. */
    public record Stats(Duration wallTime, JsonNode podmanStats) {}

    private PodmanRestore() {}

    public static Stats restore(Path copy, boolean tcpEstablished) {
        List<String> cmd = new ArrayList<>(List.of("podman", "--runtime", "runc", "container", "restore", "--import=" + copy, "--print-stats"));
        if (tcpEstablished) cmd.add("--tcp-established");
        long t0 = System.nanoTime();
        Host.Result r = Host.run(cmd, 300);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        if (!r.ok()) {
            throw new SandboxException("podman container restore failed: " + r.lastLine().replaceFirst("^Error: ", ""));
        }
        JsonNode stats;
        try {
            stats = JSON.readTree(r.out().substring(Math.max(0, r.out().indexOf('{'))));
        } catch (IOException | RuntimeException e) {
            stats = JSON.createObjectNode();
        }
        return new Stats(took, stats);
    }

    /** Host pids of every process in the restored container's pid namespace, init first. */
    public static List<Long> pids(String container) {
        Host.Result r = Host.run(List.of("podman", "inspect", "--format", "{{.State.Pid}}", container));
        if (!r.ok() || !r.out().strip().matches("\\d+") || r.out().strip().equals("0")) {
            throw new SandboxException("the restored container " + container + " is not running: " + r.lastLine());
        }
        long init = Long.parseLong(r.out().strip());
        String ns = pidNs(init);
        List<Long> pids = new ArrayList<>();
        pids.add(init);
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : proc) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid != init && ns != null && ns.equals(pidNs(pid))) pids.add(pid);
            }
        } catch (IOException e) {
            throw new SandboxException("cannot list the restored processes: " + e.getMessage());
        }
        return pids;
    }

    private static String pidNs(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString();
        } catch (IOException e) {
            return null;
        }
    }
}
