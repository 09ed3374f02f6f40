package dev.stasis.response.agent;

import dev.stasis.evidence.Actor;
import dev.stasis.evidence.EvidenceException;
import dev.stasis.evidence.HashMismatchException;
import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.StoreRequest;
import dev.stasis.evidence.StoreResult;
import dev.stasis.evidence.Vault;
import dev.stasis.response.action.ActionException;
import dev.stasis.response.collect.Collected;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The agent's collection: open the archive in the checkpoint directory (no links,
 * by descriptor), hash it through that descriptor, store it in the vault through
 * the same descriptor (the vault checks the hash again), and remove it only if the
 * name still holds the file that was stored.
 *
 * <p>The signed manifest's provenance holds only what the agent observed (node,
 * path, file name, collection time, its own identity); the caller's provenance and
 * reason go in as a {@link CallerClaim} document, marked as such.
 */
public final class NodeCollector {
    private final Vault vault;
    private final CheckpointDirectory dir;
    private final String node;
    private final Actor actor;

    public NodeCollector(Vault vault, CheckpointDirectory dir, String node) {
        this.vault = vault;
        this.dir = dir;
        this.node = node;
        this.actor = new Actor("stasis-agent", node, "stasis-agent");
    }

    /**
     * @throws CheckpointDirectory.Refused the path names nothing collectable (tell the caller only {@link CheckpointDirectory.Refused#GENERIC})
     * @throws ActionException             reading or storing failed
     */
    public Collected collect(String requestedPath, CallerClaim claim, boolean keepSource) {
        try (CheckpointDirectory.Archive a = dir.open(requestedPath)) {
            Instant collectedAt = Instant.now();
            String sha = sha256(a.channel());
            Observation seen = new Observation(node, a.path().toString(), a.size(), sha, a.modified(), collectedAt);
            Provenance facts = Provenance.builder()
                    .node(node).runtimePath(seen.path()).sourceName(a.name()).collectedAt(collectedAt)
                    .collector("stasis-agent on " + node)
                    .alert(claim.document(seen))
                    .build();
            String reason = "collected by the stasis agent on " + node + " at the request of " + claim.claimedBy()
                    + (claim.reason() == null ? "" : "; caller's reason (claim): " + claim.reason());
            StoreResult r;
            try {
                a.channel().position(0);
                // the vault may close what it read; the descriptor must stay open for the removal check
                InputStream in = new FilterInputStream(Channels.newInputStream(a.channel())) {
                    @Override
                    public void close() {}
                };
                r = vault.store(new StoreRequest(new StoreRequest.StreamSource(in, a.size()), facts, sha, actor, reason, null));
            } catch (HashMismatchException e) {
                throw new ActionException("the archive changed while it was collected: " + e.getMessage(), true);
            } catch (EvidenceException e) {
                throw new ActionException("cannot store the archive in the vault: " + e.getMessage(), true);
            }
            boolean removed = false;
            if (!keepSource) {
                try {
                    removed = a.remove();
                } catch (IOException e) {
                    throw new ActionException("stored " + r.item().id() + " but cannot remove the node's copy: " + e.getMessage(), false);
                }
            }
            return new Collected(r.item().id(), r.item().size(), r.duplicate(), removed);
        } catch (IOException e) {
            throw new ActionException("cannot read the archive: " + e.getMessage(), true);
        }
    }

    private static String sha256(FileChannel ch) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        ch.position(0);
        while (ch.read(buf) > 0) {
            buf.flip();
            md.update(buf);
            buf.clear();
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
