package dev.stasis.response.backend;

import dev.stasis.checkpoint.archive.CheckpointArchive;
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
        return checkpoint(target, options, UUID.randomUUID().toString());
    }

    /**
     * The archive is named after the action ({@code checkpoint-REF-ACTION.tar.zst}),
     * so that a resumed action finds it, and a retry or a second attempt
     * replaces it rather than leaving another beside it.
     */
    @Override
    public Checkpoint checkpoint(Target target, CheckpointOptions options, String actionId) {
        String ref = ref(target);
        try {
            Files.createDirectories(exportDir);
        } catch (IOException e) {
            throw new ActionException("cannot create the export directory " + exportDir + ": " + e.getMessage(), false);
        }
        Path out = archive(ref, actionId, options);
        try {
            Files.deleteIfExists(out); // what a failed try of this same action left
        } catch (IOException e) {
            throw new ActionException("cannot remove " + out + " left by an earlier try: " + e.getMessage(), false);
        }
        List<String> cmd = new ArrayList<>(List.of(podman, "container", "checkpoint", "--tcp-established",
                "--export=" + out, "--compress", options.compress()));
        if (options.leaveRunning()) cmd.add("--leave-running");
        cmd.add("--");
        cmd.add(ref);
        run(cmd, options, ref);
        if (!Files.isRegularFile(out)) throw new ActionException("podman reported success but wrote no archive at " + out, true);
        return new Checkpoint(name(), "", out.toString(), Instant.now());
    }

    /**
     * The engine died during an attempt. Its podman is not stopped with it
     * (a child outlives a kill -9 of its parent) and may still be writing the
     * archive: wait for it (up to the checkpoint timeout, then stop it), then
     * adopt the archive when it is whole, or remove what is there.
     */
    @Override
    public Recovery recover(Target target, CheckpointOptions options, String actionId) {
        Path out = archive(ref(target), actionId, options);
        String marker = "--export=" + out;
        long deadline = System.nanoTime() + options.timeout().toNanos() + 5_000_000_000L;
        String waited = "";
        for (List<ProcessHandle> running = writers(marker); !running.isEmpty(); running = writers(marker)) {
            if (System.nanoTime() > deadline) {
                running.forEach(ProcessHandle::destroyForcibly);
                waited = " (its podman, still running past the timeout, was stopped)";
                break;
            }
            waited = " (after waiting for its podman, pid " + running.getFirst().pid() + ", to finish)";
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ActionException("interrupted while waiting for the interrupted checkpoint's podman", true);
            }
        }
        if (!Files.exists(out)) return new Recovery(null, "the interrupted attempt left no archive" + waited + "; checkpointing again");
        if (whole(out)) {
            Instant at;
            try {
                at = Files.getLastModifiedTime(out).toInstant();
            } catch (IOException e) {
                at = Instant.now();
            }
            return new Recovery(new Checkpoint(name(), "", out.toString(), at), "adopted " + out + ", the archive the interrupted attempt finished"
                    + waited + "; no second checkpoint taken");
        }
        try {
            long size = Files.size(out);
            Files.delete(out);
            return new Recovery(null, "removed " + out + " (" + size + " bytes), the unfinished archive of the interrupted attempt" + waited
                    + "; checkpointing again");
        } catch (IOException e) {
            throw new ActionException("cannot remove the unfinished archive " + out + " of an interrupted attempt: " + e.getMessage(), false);
        }
    }

    /** podman processes exporting to this archive (found by their command line). */
    private static List<ProcessHandle> writers(String exportArg) {
        return ProcessHandle.allProcesses().filter(ph -> ph.info().arguments().map(a -> List.of(a).contains(exportArg)).orElse(false)).toList();
    }

    /** A readable checkpoint archive to its end: the checkpoint module's reader indexes every member (a cut archive fails). */
    private static boolean whole(Path archive) {
        try (CheckpointArchive a = CheckpointArchive.open(archive)) {
            return a.has("config.dump") && a.members().stream().anyMatch(m -> m.name().startsWith("checkpoint/"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Path archive(String ref, String actionId, CheckpointOptions options) {
        if (!SAFE.matcher(actionId).matches()) throw new IllegalArgumentException("action id " + actionId);
        String ext = switch (options.compress()) {
            case "gzip" -> ".tar.gz";
            case "none" -> ".tar";
            default -> ".tar.zst";
        };
        return exportDir.resolve("checkpoint-" + ref + "-" + actionId + ext);
    }

    private static String ref(Target target) {
        String ref = !target.containerId().isEmpty() && !target.containerId().equals("host") ? target.containerId() : target.container();
        if (ref.isEmpty()) throw new ActionException("the alert names no container (container.id / container.name missing)", false);
        if (!SAFE.matcher(ref).matches()) throw new ActionException("refusing container reference '" + ref + "': not a podman id or name", false);
        return ref;
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
