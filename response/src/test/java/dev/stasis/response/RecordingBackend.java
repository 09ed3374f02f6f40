package dev.stasis.response;

import dev.stasis.response.alert.Target;
import dev.stasis.response.backend.Checkpoint;
import dev.stasis.response.backend.CheckpointBackend;
import dev.stasis.response.backend.CheckpointOptions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Stands at the point where a checkpoint request leaves stasis (the kubelet
 * and podman backends are tested against their own real or protocol-exact
 * peers): records each request and answers with an archive path.
 */
public final class RecordingBackend implements CheckpointBackend {
    public record Call(Target target, CheckpointOptions options, long nanoTime) {}

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    @Override
    public String name() {
        return "podman";
    }

    @Override
    public Checkpoint checkpoint(Target target, CheckpointOptions options) {
        calls.add(new Call(target, options, System.nanoTime()));
        return new Checkpoint("podman", "", "/nowhere/checkpoint-" + target.container() + ".tar", Instant.now());
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }
}
