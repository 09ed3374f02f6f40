package dev.stasis.analysis.load;

import dev.stasis.analysis.AnalysisException;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.report.Identity;
import dev.stasis.analysis.report.SourceInfo;
import dev.stasis.analysis.subject.ContainerSpec;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.MemoryView;
import dev.stasis.analysis.subject.Subject;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.archive.ArchiveMember;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.checkpoint.model.NetworkInterface;
import dev.stasis.checkpoint.model.ProcessInfo;
import dev.stasis.memory.ArchiveMemorySource;
import dev.stasis.memory.CheckpointMemory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Builds the analysis {@link Subject} from a checkpoint. Everything is read through the
 * checkpoint module's {@link Checkpoint} (container, processes, spec, rootfs diff, embedded
 * files, log) and the memory module (pages); the classes of this package only add what
 * analysis needs on top: {@link ContainerSpecs} (privileges), {@link RootfsDiff} and
 * {@link RecoveredFiles} (first bytes and digests), {@link ProcessViews} (processes and
 * sockets), {@code TcpStreamState} (queued bytes). The archive stays open (memory is read
 * lazily) until {@link Loaded#close()}.
 */
public final class CheckpointSubjects {
    static final int MAX_LOG_BYTES = 4 * 1024 * 1024;
    static final int MAX_LOG_LINES = 20_000;

    private CheckpointSubjects() {}

    /**
     * A loaded subject, the checkpoint its memory is read from, and the memory module's view of it.
     * The archive's SHA-256 is computed on a thread of its own while the caller works on the
     * subject ({@link #pending()}); {@link #subject()} waits for it.
     */
    public static final class Loaded implements AutoCloseable {
        private final Subject pending;
        private final Future<SourceInfo> source;
        private final Checkpoint checkpoint;
        private final ArchiveMemorySource memorySource;

        Loaded(Subject pending, Future<SourceInfo> source, Checkpoint checkpoint, ArchiveMemorySource memorySource) {
            this.pending = pending;
            this.source = source;
            this.checkpoint = checkpoint;
            this.memorySource = memorySource;
        }

        /** The subject with its source (path, size, digest), once the digest is known. */
        public Subject subject() {
            return withSource(pending, source(source));
        }

        /** The subject without waiting for the archive's digest: its source is null, everything else is there. */
        public Subject pending() {
            return pending;
        }

        public Checkpoint checkpoint() {
            return checkpoint;
        }

        public ArchiveMemorySource memorySource() {
            return memorySource;
        }

        @Override
        public void close() {
            source.cancel(true);            // the digest reads its own stream of the file: stopping it touches nothing else
            memorySource.close();
            checkpoint.close();
        }
    }

    public static Loaded load(Path path, Progress progress) {
        if (!Files.exists(path)) throw new AnalysisException("no such checkpoint: " + path);
        progress.stage("reading " + path.getFileName(), 6);
        Checkpoint cp = Checkpoint.open(path);
        ArchiveMemorySource memorySource = ArchiveMemorySource.over(cp.archive());
        FutureTask<SourceInfo> digest = new FutureTask<>(() -> source(path, cp.archive()));
        Thread.ofPlatform().daemon().name("stasis-digest").start(digest);
        try {
            Subject s = build(path, cp, memorySource, progress);
            return new Loaded(s, digest, cp, memorySource);
        } catch (IOException e) {
            digest.cancel(true);
            memorySource.close();
            cp.close();
            throw new AnalysisException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            digest.cancel(true);
            memorySource.close();
            cp.close();
            throw e;
        }
    }

    private static SourceInfo source(Future<SourceInfo> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalysisException("interrupted while hashing the checkpoint");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AnalysisException a) throw a;
            throw new AnalysisException("cannot read the checkpoint: " + oneLine(e.getCause()), e.getCause());
        }
    }

    private static Subject withSource(Subject s, SourceInfo source) {
        return new Subject(source, s.identity(), s.spec(), s.processes(), s.sockets(), s.rootfsDiff(), s.deletedFiles(), s.recovered(),
                s.logLines(), s.memory(), s.notices());
    }

    private static Subject build(Path path, Checkpoint cp, ArchiveMemorySource memorySource, Progress progress) throws IOException {
        CheckpointArchive archive = cp.archive();
        List<String> notices = new ArrayList<>();
        progress.advance(1);
        Container c = cp.container();
        ContainerSpec spec = ContainerSpecs.read(cp, notices);
        progress.advance(2);

        List<ProcessInfo> infos = cp.processes().all();
        progress.advance(3);

        MemoryView view = MemoryView.NONE;
        try {
            CheckpointMemory memory = CheckpointMemory.load(memorySource);
            for (String w : memory.warnings()) notices.add(w + ": memory-based detections skipped for it");
            view = new ArchiveMemoryView(memory);
        } catch (RuntimeException e) {
            notices.add("process memory could not be read (" + oneLine(e) + "): memory-based detections skipped");
        }
        progress.advance(4);

        List<DiffFile> recovered = new ArrayList<>();
        try {
            recovered.addAll(RecoveredFiles.read(cp, infos, notices));
        } catch (RuntimeException e) {
            notices.add("deleted files and memfds could not be recovered (" + oneLine(e) + ")");
        }

        ProcessViews views = ProcessViews.of(infos, recovered, archive.images());

        List<DiffFile> diff = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        RootfsDiff.read(cp, diff, deleted, notices);
        deleted.addAll(cp.deletedFiles());
        progress.advance(5);

        List<String> log = cp.containerLog().map(b -> new String(b, 0, Math.min(b.length, MAX_LOG_BYTES), StandardCharsets.UTF_8)
                .lines().limit(MAX_LOG_LINES).toList()).orElse(List.of());
        // the model and EmbeddedFiles decode images separately: one damaged image is one notice
        for (String w : cp.warnings()) if (!notices.contains(w)) notices.add(w);
        Identity identity = identity(c, archive);
        progress.advance(6);
        return new Subject(null, identity, spec, views.processes(), views.sockets(), diff, deleted, recovered, log, view, notices);
    }

    private static SourceInfo source(Path path, CheckpointArchive archive) throws IOException {
        if (Files.isDirectory(path)) return new SourceInfo(path.toString(), archive.sizeOf(""), null, "directory");
        DigestingSink sink = new DigestingSink(0);
        Files.copy(path, sink);
        return new SourceInfo(path.toString(), sink.count(), sink.sha256(),
                archive.compression() == null ? null : archive.compression().name().toLowerCase(Locale.ROOT));
    }

    private static Identity identity(Container c, CheckpointArchive archive) {
        List<String> addrs = c.networks().stream().map(NetworkInterface::ip).filter(Objects::nonNull).toList();
        String node = c.annotations().entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).matches(".*(node-?name|nodename|\\.node)$"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        Instant checkpointed = c.checkpointed();
        if (checkpointed == null) {
            // Podman records no checkpoint time and the model falls back to inventory.img's; without it,
            // the newest image member's time is when CRIU wrote the dump.
            checkpointed = archive.members().stream().filter(m -> m.name().startsWith(CheckpointArchive.IMAGE_DIR + "/"))
                    .map(ArchiveMember::modified).filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
        }
        // the engine's name, as show and inspect print it; the pod spec's name goes alongside
        return new Identity(c.name() != null ? c.name() : c.containerName(), c.id(), c.podName(), c.namespace(), c.imageName(),
                c.imageRef(), c.engine() == null ? null : c.engine().display(), c.runtime(), node, c.hostname(), addrs, c.created(), checkpointed, c.containerName());
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }
}
