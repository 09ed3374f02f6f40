package dev.stasis.response.collect;

import dev.stasis.evidence.Actor;
import dev.stasis.evidence.EvidenceException;
import dev.stasis.evidence.HashMismatchException;
import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.StoreRequest;
import dev.stasis.evidence.StoreResult;
import dev.stasis.evidence.Vault;
import dev.stasis.response.action.ActionException;
import dev.stasis.response.backend.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Collects an archive that is on this machine's disk (podman's export, or the
 * kubelet's checkpoint directory when run by {@code stasis agent}). The hash
 * is taken here, by a first read, and the vault refuses the store if its own
 * read gives a different hash: the bytes cannot change unnoticed between the
 * node and the vault.
 */
public final class LocalCollector implements Collector {
    private final Vault vault;
    private final Actor actor;
    private final Path allowedDir;

    /**
     * @param allowedDir only archives under this directory are collected (and deleted), or null for any
     */
    public LocalCollector(Vault vault, Actor actor, Path allowedDir) {
        this.vault = vault;
        this.actor = actor;
        this.allowedDir = allowedDir == null ? null : allowedDir.toAbsolutePath().normalize();
    }

    @Override
    public Collected collect(Checkpoint checkpoint, Provenance provenance, String reason, boolean keepSource) {
        Path file = checked(Path.of(checkpoint.path()));
        String sha = sha256(file);
        StoreResult r;
        try {
            r = vault.store(new StoreRequest(new StoreRequest.FileSource(file), provenance, sha, actor, reason, null));
        } catch (HashMismatchException e) {
            throw new ActionException("the archive " + file + " changed while it was collected: " + e.getMessage(), true);
        } catch (EvidenceException e) {
            throw new ActionException("cannot store " + file + " in the vault: " + e.getMessage(), true);
        }
        boolean removed = false;
        if (!keepSource) {
            try {
                removed = Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new ActionException("stored " + r.item().id() + " but cannot remove the node's copy " + file + ": " + e.getMessage(), false);
            }
        }
        return new Collected(r.item().id(), r.item().size(), r.duplicate(), removed);
    }

    /** A regular file (not a link) inside the allowed directory. */
    private Path checked(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        if (allowedDir != null) {
            Path real;
            try {
                real = abs.toRealPath();
            } catch (NoSuchFileException e) {
                throw new ActionException("no checkpoint archive at " + abs + " (already collected, or removed)", false);
            } catch (IOException e) {
                throw new ActionException("cannot resolve " + abs + ": " + e.getMessage(), false);
            }
            Path dir;
            try {
                dir = allowedDir.toRealPath();
            } catch (IOException e) {
                throw new ActionException("the checkpoint directory " + allowedDir + " does not exist", false);
            }
            if (!real.startsWith(dir) || real.equals(dir))
                throw new ActionException("refusing to collect " + abs + ": it is outside the checkpoint directory " + allowedDir, false);
        }
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) throw new ActionException("no checkpoint archive at " + abs + " (already collected, or removed)", false);
        if (!Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) throw new ActionException("refusing to collect " + abs + ": not a regular file", false);
        return abs;
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ActionException("cannot read " + file + ": " + e.getMessage(), true);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
