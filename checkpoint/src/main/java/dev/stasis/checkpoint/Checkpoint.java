package dev.stasis.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.checkpoint.archive.ArchiveLimits;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.container.CheckpointModel;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.Mount;
import dev.stasis.checkpoint.model.ProcessInfo;
import dev.stasis.checkpoint.model.ProcessTree;
import dev.stasis.checkpoint.model.RootfsDiffEntry;
import dev.stasis.checkpoint.model.RuntimeSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A container checkpoint, opened: the archive plus the model built from it. Parts are loaded on
 * first use and cached: {@link #container()} reads only metadata, {@link #processes()} decodes the
 * CRIU images and reads each process's cmdline and environment from its memory pages.
 *
 * <pre>{@code
 * try (Checkpoint cp = Checkpoint.open(Path.of("irc-bot.tar.zst"))) {
 *     cp.container().podName();
 *     cp.processes().all().forEach(p -> System.out.println(p.pid() + " " + p.cmdline().joined()));
 * }
 * }</pre>
 */
public final class Checkpoint implements AutoCloseable {
    private final CheckpointArchive archive;
    private final CheckpointModel model;

    private Checkpoint(CheckpointArchive archive) {
        this.archive = archive;
        this.model = new CheckpointModel(archive);
    }

    public static Checkpoint open(Path path) {
        return new Checkpoint(CheckpointArchive.open(path));
    }

    public static Checkpoint open(Path path, ArchiveLimits limits) {
        return new Checkpoint(CheckpointArchive.open(path, limits));
    }

    /** Wraps an archive already open; closing the checkpoint closes it. */
    public static Checkpoint of(CheckpointArchive archive) {
        return new Checkpoint(archive);
    }

    public CheckpointArchive archive() {
        return archive;
    }

    public Container container() {
        return model.container();
    }

    /** All processes as a tree, with cmdline and environment read from memory. */
    public ProcessTree processes() {
        return model.processes(true);
    }

    /** The process tree; without memory, cmdline and environment are left unread (no page access at all). */
    public ProcessTree processes(boolean readMemory) {
        return model.processes(readMemory);
    }

    public Optional<ProcessInfo> process(int pid) {
        return processes().find(pid);
    }

    /** Mounts from the OCI spec (checkpointctl's view). */
    public List<Mount> mounts() {
        return model.specMounts();
    }

    /** Mounts as CRIU recorded them in {@code mountpoints-*.img}. */
    public List<Mount> criuMounts() {
        return model.criuMounts();
    }

    public List<RootfsDiffEntry> rootfsDiff() {
        return model.rootfsDiff();
    }

    /** Image paths deleted in the container ({@code deleted.files}); empty when absent. */
    public List<String> deletedFiles() {
        return model.deletedFiles();
    }

    /** The container's log as stored in the archive (Podman ctr.log, CRI-O's log, containerd container.log). */
    public Optional<byte[]> containerLog() {
        return model.containerLog();
    }

    /** CRIU's dump.log, when the engine kept it. */
    public Optional<byte[]> dumpLog() {
        return model.dumpLog();
    }

    /** The OCI spec as JSON, or null. */
    public JsonNode spec() {
        return model.spec();
    }

    /**
     * What the container was started with (spec.dump's process, root and namespaces, and
     * config.dump's privileged flag); empty without a spec.dump. A spec.dump or config.dump
     * that is not JSON is a {@link CheckpointException}.
     */
    public Optional<RuntimeSpec> runtimeSpec() {
        return model.runtimeSpec();
    }

    /** Problems met while loading optional parts (a damaged image, unreadable memory); each one line. */
    public List<String> warnings() {
        return model.warnings();
    }

    @Override
    public void close() {
        archive.close();
    }
}
