package dev.stasis.sandbox.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes an OCI image layout into a temporary directory beside the destination and renames it
 * into place on commit; the destination must not exist, or be an empty directory.
 */
final class LayoutSink implements ImageSink {
    private final Path target;
    final Path work;
    private final Path blobs;
    private Path layerTemp;
    private boolean committed;

    LayoutSink(Path target) {
        this.target = target.toAbsolutePath();
        if (Files.exists(this.target)) {
            if (!Files.isDirectory(this.target)) throw new ImageException.Output(target + " exists and is not a directory", null);
            try (var s = Files.list(this.target)) {
                if (s.findAny().isPresent()) throw new ImageException.Output(target + " exists and is not empty", null);
            } catch (IOException e) {
                throw new ImageException.Output("cannot read " + target + ": " + e.getMessage(), e);
            }
        }
        Path parent = this.target.getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new ImageException.Output("no such directory: " + parent, null);
        this.work = TempFiles.sibling(this.target, "tmp");
        this.blobs = work.resolve("blobs/sha256");
        try {
            Files.createDirectories(blobs);
        } catch (IOException e) {
            throw new ImageException.Output("cannot write in " + parent + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OutputStream layer() throws IOException {
        layerTemp = blobs.resolve(".layer.partial");
        return new java.io.BufferedOutputStream(Files.newOutputStream(layerTemp), 1 << 16);
    }

    @Override
    public void layerDone(String digest, long size) throws IOException {
        Files.move(layerTemp, blob(digest), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void blob(String digest, byte[] data) throws IOException {
        Files.write(blob(digest), data);
    }

    @Override
    public String manifest(String digest, byte[] manifest, String tag, java.util.Map<String, String> annotations) throws IOException {
        blob(digest, manifest);
        Files.write(work.resolve("oci-layout"), OciDocuments.layoutMarker());
        Files.write(work.resolve("index.json"), OciDocuments.index(digest, manifest.length, tag, annotations));
        return digest;
    }

    private Path blob(String digest) {
        return blobs.resolve(digest.substring("sha256:".length()));
    }

    @Override
    public void commit() throws IOException {
        if (Files.isDirectory(target)) {
            try {
                Files.delete(target); // empty, checked above
            } catch (DirectoryNotEmptyException e) {
                throw new ImageException.Output(target + " is no longer empty", e);
            }
        }
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void abort() {
        if (!committed) TempFiles.deleteTree(work);
    }
}
