package dev.stasis.sandbox.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The cleanup manifests of sandbox runs ({@code /run/stasis/sandbox/<run id>.json} unless
 * {@code -Dstasis.sandbox.state=} says otherwise). /run is a tmpfs: like the namespaces and veths
 * it describes, it does not survive a reboot, while podman's containers do; those are found by
 * their name prefix too ({@link #removeLeftovers}).
 */
public final class StateDir {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{8}");
    private final Path dir;

    public StateDir(Path dir) {
        this.dir = dir;
    }

    public static StateDir standard() {
        return new StateDir(Path.of(System.getProperty("stasis.sandbox.state", "/run/stasis/sandbox")));
    }

    public Path dir() {
        return dir;
    }

    public void write(RunManifest m) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(m.runId() + ".json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), m);
            try {
                Files.move(tmp, file(m.runId()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(m.runId()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SandboxException("cannot write the cleanup manifest in " + dir + ": " + e.getMessage(), e);
        }
    }

    public void delete(String runId) {
        try {
            Files.deleteIfExists(file(runId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<RunManifest> manifests() {
        List<RunManifest> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    RunManifest m = JSON.readValue(p.toFile(), RunManifest.class);
                    if (m.runId() != null && RUN_ID.matcher(m.runId()).matches()) out.add(m);
                } catch (IOException e) {
                    // a torn manifest: its names still follow the prefix rule, handled by the prefix sweep
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Removes what runs whose owner is gone left behind: every manifest of a dead owner, then
     * containers, namespaces and links with the sandbox's prefix that no live run claims.
     * Returns how many things were removed.
     */
    public int removeLeftovers(Consumer<String> log) {
        int removed = 0;
        for (RunManifest m : manifests()) {
            if (m.ownerAlive()) continue;
            removed += Cleaner.remove(m, log);
            delete(m.runId());
        }
        removed += Cleaner.sweepByPrefix(this::live, log);
        return removed;
    }

    /**
     * Whether a live run claims this id, asked again for every object the sweep finds (a run that
     * started after the sweep began has written its manifest before creating anything). The
     * standard directory is asked too, so a sweep from another state directory never touches a real run.
     */
    boolean live(String runId) {
        for (StateDir d : dir.equals(standard().dir) ? List.of(this) : List.of(this, standard())) {
            for (RunManifest m : d.manifests()) {
                if (m.runId().equals(runId) && m.ownerAlive()) return true;
            }
        }
        return false;
    }

    private Path file(String runId) {
        return dir.resolve(runId + ".json");
    }
}
