package dev.stasis.evidence.internal;

import dev.stasis.evidence.HashMismatchException;
import dev.stasis.evidence.ProgressListener;
import dev.stasis.evidence.StorageException;
import dev.stasis.evidence.StoreRequest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Items in a local directory: {@code objects/ab/abcd...} (the bytes),
 * {@code manifests/abcd....json}, {@code tmp/} for stores in flight. Bytes go
 * to a temporary file, are fsynced and hashed, and only then renamed to their
 * hash; a crash before the rename leaves only a temporary file that nothing
 * lists (and that the next open sweeps once it is a day old).
 */
public final class LocalBackend implements Backend {
    private static final Duration STALE = Duration.ofHours(24);
    private final Path root;
    private final Path objects;
    private final Path manifests;
    private final Path tmp;

    /** {@code create}: make the directories (and sweep old temporaries); false for reading only, which changes nothing. */
    public LocalBackend(Path root, boolean create) {
        this.root = root;
        this.objects = root.resolve("objects");
        this.manifests = root.resolve("manifests");
        this.tmp = root.resolve("tmp");
        if (!create) return;
        try {
            for (Path d : List.of(root, objects, manifests, tmp)) SecureFiles.createPrivateDirectories(d);
        } catch (IOException e) {
            throw new StorageException("cannot create the vault at " + root + ": " + e.getMessage(), e);
        }
        sweepStaleTemporaries();
    }

    @Override
    public Put put(StoreRequest.Source source, String expectedSha256, ProgressListener progress) {
        Path part = tmp.resolve(UUID.randomUUID() + ".part");
        boolean kept = false;
        try {
            HashingCopy copy = new HashingCopy();
            try (InputStream in = source.open();
                 FileChannel ch = FileChannel.open(part, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), SecureFiles.privateFile());
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), HashingCopy.BUFFER)) {
                copy.copy(in, out, source.size(), progress);
                out.flush();
                ch.force(true);
            }
            String sha = copy.sha256();
            if (expectedSha256 != null && !expectedSha256.equals(sha))
                throw new HashMismatchException("the bytes received hash to " + sha + " but the source said " + expectedSha256
                        + " (" + copy.size() + " bytes); nothing was stored", expectedSha256, sha);
            Path target = objectPath(sha);
            SecureFiles.createPrivateDirectories(target.getParent());
            if (Files.exists(target) && Files.exists(manifestPath(sha))) {
                // Already stored: the existing bytes stay as they are (evidence is never rewritten); verify checks them.
                return new Put(sha, copy.size(), copy.head(), Map.of());
            }
            SecureFiles.moveAtomically(part, target);
            kept = true;
            return new Put(sha, copy.size(), copy.head(), Map.of());
        } catch (IOException e) {
            throw new StorageException("cannot store into the local vault " + root + ": " + describe(e) + "; nothing was stored", e);
        } finally {
            if (!kept) deleteQuietly(part);
        }
    }

    @Override
    public Optional<byte[]> readManifest(String id) {
        try {
            return Optional.of(Files.readAllBytes(manifestPath(id)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read the manifest of " + id + ": " + describe(e), e);
        }
    }

    @Override
    public void writeManifest(String id, byte[] bytes) {
        try {
            SecureFiles.writeAtomically(manifestPath(id), bytes);
        } catch (IOException e) {
            throw new StorageException("cannot write the manifest of " + id + ": " + describe(e) + "; the item was not made visible", e);
        }
    }

    @Override
    public void deleteManifest(String id) {
        try {
            Files.deleteIfExists(manifestPath(id));
            SecureFiles.fsyncDirectory(manifests);
        } catch (IOException e) {
            throw new StorageException("cannot remove the manifest of " + id + ": " + describe(e), e);
        }
    }

    @Override
    public List<String> manifestIds() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(manifests)) return ids; // a vault opened for reading before anything was stored
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(manifests, "*.json")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                ids.add(n.substring(0, n.length() - 5));
            }
        } catch (IOException e) {
            throw new StorageException("cannot list the vault " + root + ": " + describe(e), e);
        }
        return ids;
    }

    @Override
    public InputStream openObject(String id) {
        try {
            return Files.newInputStream(objectPath(id));
        } catch (NoSuchFileException e) {
            throw new StorageException("the archive bytes of " + id + " are missing from " + objectPath(id));
        } catch (IOException e) {
            throw new StorageException("cannot read the archive of " + id + ": " + describe(e), e);
        }
    }

    @Override
    public boolean hasObject(String id) {
        return Files.isRegularFile(objectPath(id));
    }

    @Override
    public String location(String id) {
        return objectPath(id).toUri().toString();
    }

    @Override
    public String describe() {
        return "local " + root;
    }

    @Override
    public void close() {}

    public Path objectPath(String id) {
        return objects.resolve(id.substring(0, 2)).resolve(id);
    }

    public Path manifestPath(String id) {
        return manifests.resolve(id + ".json");
    }

    private void sweepStaleTemporaries() {
        Instant cutoff = Instant.now().minus(STALE);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, "*.part")) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) deleteQuietly(p);
            }
        } catch (IOException ignored) {
            // a sweep that fails leaves invisible files only
        }
    }

    static String describe(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof NoSuchFileException) return "no such file " + m;
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied on " + m;
        return m;
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing visible depends on it
        }
    }
}
