package dev.stasis.response.backend;

import dev.stasis.response.action.ActionException;
import dev.stasis.response.alert.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Checkpoints a local container with the podman CLI:
 * {@code podman container checkpoint --tcp-established --export=F [--leave-running] C}.
 * The container is named by Falco's {@code container.id} (podman accepts the
 * 12-digit short id Falco prints) or else {@code container.name}.
 */
public final class PodmanBackend implements CheckpointBackend {
    /** podman ids and names: nothing a shell or podman would read as an option. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");

    private final String podman;
    private final Path exportDir;

    public PodmanBackend(String podman, Path exportDir) {
        this.podman = podman;
        this.exportDir = exportDir;
    }

    @Override
    public String name() {
        return "podman";
    }

    @Override
    public Checkpoint checkpoint(Target target, CheckpointOptions options) {
        String ref = !target.containerId().isEmpty() && !target.containerId().equals("host") ? target.containerId() : target.container();
        if (ref.isEmpty()) throw new ActionException("the alert names no container (container.id / container.name missing)", false);
        if (!SAFE.matcher(ref).matches()) throw new ActionException("refusing container reference '" + ref + "': not a podman id or name", false);
        try {
            Files.createDirectories(exportDir);
        } catch (IOException e) {
            throw new ActionException("cannot create the export directory " + exportDir + ": " + e.getMessage(), false);
        }
        String ext = switch (options.compress()) {
            case "gzip" -> ".tar.gz";
            case "none" -> ".tar";
            default -> ".tar.zst";
        };
        Path out = exportDir.resolve("checkpoint-" + ref + "-" + Instant.now().toString().replace(":", "") + "-"
                + UUID.randomUUID().toString().substring(0, 8) + ext);
        List<String> cmd = new ArrayList<>(List.of(podman, "container", "checkpoint", "--tcp-established",
                "--export=" + out, "--compress", options.compress()));
        if (options.leaveRunning()) cmd.add("--leave-running");
        cmd.add("--");
        cmd.add(ref);
        run(cmd, options, ref);
        if (!Files.isRegularFile(out)) throw new ActionException("podman reported success but wrote no archive at " + out, true);
        return new Checkpoint(name(), "", out.toString(), Instant.now());
    }

    private void run(List<String> cmd, CheckpointOptions options, String ref) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new java.io.File("/dev/null")).start();
        } catch (IOException e) {
            throw new ActionException("cannot run " + podman + ": " + e.getMessage(), false);
        }
        try {
            // read while waiting so a chatty podman cannot block on a full pipe
            var output = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try {
                    output.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.complete("");
                }
            });
            if (!p.waitFor(options.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ActionException("podman checkpoint of " + ref + " did not finish within " + options.timeout().toSeconds() + "s", true);
            }
            String text = output.get(5, TimeUnit.SECONDS).strip();
            if (p.exitValue() != 0) {
                String last = text.lines().reduce((a, b) -> b).orElse("exit " + p.exitValue());
                boolean noSuch = text.contains("no such container") || text.contains("no container with name or ID");
                throw new ActionException("podman checkpoint of " + ref + " failed: " + last.replaceFirst("^Error: ", ""), !noSuch);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ActionException("interrupted while checkpointing " + ref, true);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new ActionException("podman checkpoint of " + ref + ": cannot read its output", true);
        }
    }
}
