package dev.stasis.sandbox.image;

import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.model.Container;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds checkpoint images natively, the image {@code buildah from scratch; buildah add CTR
 * ARCHIVE /; buildah config --annotation ...; buildah commit} would make, without buildah and
 * without unpacking the archive: its members are streamed into the layer.
 */
public final class CheckpointImages {
    private CheckpointImages() {}

    public static CheckpointImage build(ImageRequest request) {
        return build(request, RegistrySink.CHUNK);
    }

    /** With this upload chunk size (tests use small chunks to send many PATCH requests). */
    static CheckpointImage build(ImageRequest request, int chunk) {
        try (Checkpoint cp = Checkpoint.open(request.archive())) {
            CheckpointArchive archive = cp.archive();
            requireCheckpoint(archive, request.archive());
            Container container = cp.container();
            Map<String, String> annotations = new LinkedHashMap<>(CheckpointAnnotations.derive(container, request.architecture()));
            String sha = request.sourceSha256() != null ? request.sourceSha256() : sha256(request.archive());
            if (sha != null) annotations.put(CheckpointAnnotations.STASIS_SOURCE_SHA256, sha);
            annotations.putAll(request.extraAnnotations());
            Map<String, String> sorted = new TreeMap<>(annotations);
            Instant created = container.checkpointed() != null ? container.checkpointed()
                    : container.created() != null ? container.created() : Instant.EPOCH;
            return write(archive, request, sorted, created, chunk);
        }
    }

    private static void requireCheckpoint(CheckpointArchive archive, Path path) {
        if (archive.compression() == dev.stasis.checkpoint.archive.Compression.DIRECTORY && !archive.has("config.dump")
                && archive.has("checkpoint/inventory.img") && !archive.has("spec.dump")) {
            throw new ImageException.NotACheckpoint(path + " is a bare CRIU image directory, not a container checkpoint (no config.dump/spec.dump)");
        }
        StringBuilder missing = new StringBuilder();
        for (String m : new String[] {"config.dump", "spec.dump", "checkpoint/inventory.img"}) {
            if (!archive.has(m)) missing.append(missing.isEmpty() ? "" : ", ").append(m);
        }
        if (!missing.isEmpty()) throw new ImageException.NotACheckpoint(path.getFileName() + " is not a container checkpoint (no " + missing + ")");
    }

    private static CheckpointImage write(CheckpointArchive archive, ImageRequest request, Map<String, String> annotations, Instant created, int chunk) {
        ImageTarget target = request.target();
        ImageSink sink = switch (target) {
            case ImageTarget.OciLayout l -> new LayoutSink(l.dir());
            case ImageTarget.OciArchive a -> new ArchiveSink(a.file());
            case ImageTarget.Registry r -> new RegistrySink(r, chunk);
        };
        String tag = switch (target) {
            case ImageTarget.OciLayout l -> l.tag();
            case ImageTarget.OciArchive a -> a.tag();
            case ImageTarget.Registry r -> r.ref().tag();
        };
        try (Interrupted ignored = new Interrupted(sink::abort)) {
            LayerWriter.Layer layer;
            try (OutputStream out = sink.layer()) {
                layer = LayerWriter.write(archive, out, request.compression(), request.progress());
            }
            sink.layerDone(layer.digest(), layer.size());
            byte[] config = OciDocuments.config(request.architecture(), "linux", created, layer.diffId(), "stasis sandbox image");
            String configDigest = HashingOutputStream.digest(config);
            sink.blob(configDigest, config);
            byte[] manifest = OciDocuments.manifest(configDigest, config.length, request.compression().mediaType(),
                    layer.digest(), layer.size(), annotations);
            String manifestDigest = sink.manifest(HashingOutputStream.digest(manifest), manifest, tag, annotations);
            sink.commit();
            return new CheckpointImage(manifestDigest, manifest.length, configDigest, layer.digest(), layer.size(), layer.diffId(),
                    request.compression().mediaType(), request.architecture(), "linux", layer.entries(), created, annotations,
                    target.describe());
        } catch (IOException e) {
            sink.abort();
            throw new ImageException.Output("cannot write " + target.describe() + ": " + oneLine(e), e);
        } catch (RuntimeException | Error e) {
            sink.abort();
            throw e;
        }
    }

    /** SHA-256 of a regular file (null for a directory input), read once as a stream. */
    static String sha256(Path file) {
        if (!Files.isRegularFile(file)) return null;
        MessageDigest sha = HashingOutputStream.sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        } catch (IOException e) {
            throw new ImageException.Output("cannot read " + file + ": " + oneLine(e), e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) m = "no such file: " + m;
        if (e instanceof java.nio.file.AccessDeniedException) m = "permission denied: " + m;
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
