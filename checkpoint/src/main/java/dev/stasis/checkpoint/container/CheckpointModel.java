package dev.stasis.checkpoint.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.ArchiveMember;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.Mount;
import dev.stasis.checkpoint.model.ProcessTree;
import dev.stasis.checkpoint.model.RootfsDiffEntry;
import dev.stasis.checkpoint.model.RuntimeSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Lazily built, cached parts of a checkpoint's model; the public face is {@link dev.stasis.checkpoint.Checkpoint}. */
public final class CheckpointModel {
    private final CheckpointArchive archive;
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private CheckpointImages images;
    private Container container;
    private ProcessTree withMemory;
    private ProcessTree withoutMemory;
    private List<RootfsDiffEntry> diff;
    private JsonNode spec;
    private boolean specRead;

    public CheckpointModel(CheckpointArchive archive) {
        this.archive = archive;
    }

    private synchronized CheckpointImages images() {
        if (images == null) images = new CheckpointImages(archive.images(), warnings);
        return images;
    }

    public synchronized Container container() {
        if (container == null) container = ContainerMetadataReader.read(archive);
        return container;
    }

    public synchronized ProcessTree processes(boolean readMemory) {
        if (readMemory) {
            if (withMemory == null) withMemory = ProcessTree.of(new ProcessLoader(archive, images(), warnings).load(true));
            return withMemory;
        }
        if (withMemory != null) return withMemory;
        if (withoutMemory == null) withoutMemory = ProcessTree.of(new ProcessLoader(archive, images(), warnings).load(false));
        return withoutMemory;
    }

    public List<Mount> specMounts() {
        return MountReader.fromSpec(archive);
    }

    public List<Mount> criuMounts() {
        return MountReader.fromImages(images());
    }

    public synchronized List<RootfsDiffEntry> rootfsDiff() {
        if (diff == null) diff = RootfsDiffReader.read(archive);
        return diff;
    }

    public List<String> deletedFiles() {
        JsonNode node = ContainerMetadataReader.json(archive, "deleted.files");
        if (node == null) return List.of();
        if (!node.isArray()) throw new CheckpointException("deleted.files is not a JSON array");
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    public Optional<byte[]> containerLog() {
        // Podman: ctr.log; containerd: container.log; CRI-O stores it under the annotation's literal name.
        for (String name : List.of("ctr.log", "container.log", "io.kubernetes.cri-o.LogPath")) {
            if (archive.has(name)) return Optional.of(archive.read(name));
        }
        return Optional.empty();
    }

    public Optional<byte[]> dumpLog() {
        for (String name : List.of("dump.log", "checkpoint/dump.log")) {
            if (archive.has(name)) return Optional.of(archive.read(name));
        }
        return Optional.empty();
    }

    /** The spec's and config's launch settings; empty without a spec.dump. */
    public Optional<RuntimeSpec> runtimeSpec() {
        return ContainerMetadataReader.runtimeSpec(spec(), archive);
    }

    public synchronized JsonNode spec() {
        if (!specRead) {
            spec = ContainerMetadataReader.json(archive, "spec.dump");
            specRead = true;
        }
        return spec;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    static long size(ArchiveMember m) {
        return m.size();
    }
}
