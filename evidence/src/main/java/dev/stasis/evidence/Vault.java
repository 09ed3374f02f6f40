package dev.stasis.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.evidence.internal.Backend;
import dev.stasis.evidence.internal.Canonical;
import dev.stasis.evidence.internal.Ed25519;
import dev.stasis.evidence.internal.FormatSniffer;
import dev.stasis.evidence.internal.HashingCopy;
import dev.stasis.evidence.internal.LocalBackend;
import dev.stasis.evidence.internal.S3Backend;
import dev.stasis.evidence.internal.SecureFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The evidence vault: content-addressed, signed, append-only. Open one with
 * {@link #open(VaultConfig)}; it is safe to use from several threads and
 * several processes at once.
 *
 * <p>An item exists exactly when its signed manifest does, and the manifest is
 * written only after the bytes were stored in full under their SHA-256 (and
 * matched the hash the source gave, if any). Every store, read, export,
 * verification and deletion attempt is recorded in the {@link CustodyLog}.
 */
public final class Vault implements Closeable {
    private static final ReentrantLock MANIFEST_LOCK = new ReentrantLock();

    private final VaultConfig config;
    private final Backend backend;
    private final PrivateKey signingKey;
    private final PublicKey publicKey;
    private final String keyId;
    private final CustodyLog custody;
    private final List<String> unrecorded = java.util.Collections.synchronizedList(new ArrayList<>());

    private Vault(VaultConfig config, Backend backend, PrivateKey signingKey, PublicKey publicKey) {
        this.config = config;
        this.backend = backend;
        this.signingKey = signingKey;
        this.publicKey = publicKey;
        this.keyId = Ed25519.keyId(publicKey);
        this.custody = new CustodyLog(config.custodyLog(), signingKey, publicKey);
    }

    private static final ReentrantLock KEYS_LOCK = new ReentrantLock();

    /**
     * Opens the vault, creating it when missing (for the commands that store). A missing key pair is
     * generated (private key 0600 at {@link VaultConfig#signingKey()}, public key in the vault); a
     * private key kept elsewhere with no public key in the vault yet gets its public half written
     * there; a public key without its private key opens the vault for reading and checking only.
     * Several processes may open a new vault at once: the keys are made once, under a lock.
     */
    public static Vault open(VaultConfig config) {
        try {
            SecureFiles.createPrivateDirectories(config.root());
        } catch (IOException e) {
            throw new StorageException("cannot create the vault directory " + config.root() + ": " + e.getMessage(), e);
        }
        PrivateKey privateKey;
        PublicKey publicKey;
        KEYS_LOCK.lock();
        try (FileChannel ch = FileChannel.open(config.root().resolve(".keys.lock"), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                SecureFiles.privateFile());
             FileLock ignored = ch.lock()) {
            Path priv = config.signingKey(), pub = config.publicKey();
            if (!Files.exists(priv) && !Files.exists(pub)) Ed25519.save(Ed25519.generate(), priv, pub);
            else if (Files.exists(priv) && !Files.exists(pub)) Ed25519.savePublic(Ed25519.publicFrom(Ed25519.loadPrivate(priv)), pub);
            privateKey = Files.exists(priv) ? Ed25519.loadPrivate(priv) : null;
            publicKey = Ed25519.loadPublic(pub);
        } catch (IOException e) {
            throw new StorageException("cannot lock the vault's keys in " + config.root() + ": " + e.getMessage(), e);
        } finally {
            KEYS_LOCK.unlock();
        }
        Backend backend = config.s3() == null ? new LocalBackend(config.root(), true) : new S3Backend(config.s3(), config.root().resolve("tmp"));
        return new Vault(config, backend, matching(config, privateKey, publicKey), publicKey);
    }

    /** Whether a vault exists at the configuration's root: the directory with the vault's public key in it. */
    public static boolean exists(VaultConfig config) {
        return Files.isDirectory(config.root()) && Files.isRegularFile(config.publicKey());
    }

    /**
     * Opens an existing vault for the commands that only read and check: creates no directory, key
     * or file, and throws {@link VaultNotFoundException} when there is no vault at the root. The
     * private key is used when it is readable (to record reads in the custody log); without it the
     * vault still reads and checks, and {@link #unrecorded()} says what could not be recorded.
     */
    public static Vault openExisting(VaultConfig config) {
        if (!exists(config))
            throw new VaultNotFoundException(config.root(), Files.isDirectory(config.root())
                    ? "no vault at " + config.root() + " (no public key " + config.root().relativize(config.publicKey()) + " in it)"
                    : "no vault at " + config.root());
        Path priv = config.signingKey();
        PrivateKey privateKey = Files.isReadable(priv) ? Ed25519.loadPrivate(priv) : null;
        PublicKey publicKey = Ed25519.loadPublic(config.publicKey());
        Backend backend = config.s3() == null ? new LocalBackend(config.root(), false) : new S3Backend(config.s3(), config.root().resolve("tmp"));
        return new Vault(config, backend, matching(config, privateKey, publicKey), publicKey);
    }

    /** A private key that is not the vault's would sign records nobody can check: refused. */
    private static PrivateKey matching(VaultConfig config, PrivateKey privateKey, PublicKey publicKey) {
        if (privateKey == null) return null;
        PublicKey derived = Ed25519.publicFrom(privateKey);
        if (!java.util.Arrays.equals(derived.getEncoded(), publicKey.getEncoded()))
            throw new SigningKeyException("the signing key " + config.signingKey() + " (key id " + abbreviate(Ed25519.keyId(derived))
                    + ") is not the key of the vault at " + config.root() + " (key id " + abbreviate(Ed25519.keyId(publicKey)) + ")");
        return privateKey;
    }

    /**
     * Generates the vault's key pair: the private key at {@link VaultConfig#signingKey()} (which may
     * be outside the vault), the public key in the vault; creates the vault directory. Refuses to
     * overwrite either key. Returns the key id.
     */
    public static String keygen(VaultConfig config) {
        try {
            SecureFiles.createPrivateDirectories(config.root());
        } catch (IOException e) {
            throw new StorageException("cannot create the vault directory " + config.root() + ": " + e.getMessage(), e);
        }
        KEYS_LOCK.lock();
        try (FileChannel ch = FileChannel.open(config.root().resolve(".keys.lock"), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                SecureFiles.privateFile());
             FileLock ignored = ch.lock()) {
            KeyPair pair = Ed25519.generate();
            Ed25519.save(pair, config.signingKey(), config.publicKey());
            return Ed25519.keyId(pair.getPublic());
        } catch (IOException e) {
            throw new StorageException("cannot lock the vault's keys in " + config.root() + ": " + e.getMessage(), e);
        } finally {
            KEYS_LOCK.unlock();
        }
    }

    /** Generates a new key pair at {@code privateKey} (and {@code .pub.pem} next to it); refuses to overwrite. */
    public static String keygen(Path privateKey) {
        KeyPair pair = Ed25519.generate();
        Ed25519.save(pair, privateKey, VaultConfig.publicKeyBeside(privateKey));
        return Ed25519.keyId(pair.getPublic());
    }

    public VaultConfig config() {
        return config;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** SHA-256 (hex) of the public key's X.509 encoding; recorded in every manifest. */
    public String keyId() {
        return keyId;
    }

    public CustodyLog custody() {
        return custody;
    }

    public String describeStorage() {
        return backend.describe();
    }

    // ---- store ---------------------------------------------------------------------------------

    /**
     * Stores an archive. Returns once the bytes, their hash and the signed
     * manifest are durable; on any failure nothing new is visible and the
     * failure is recorded in the custody log.
     */
    public StoreResult store(StoreRequest request) {
        requireSigningKey();
        try {
            Backend.Put put = backend.put(request.source(), request.expectedSha256(), request.progress());
            return publish(request, put);
        } catch (EvidenceException e) {
            recordFailure(e, CustodyAction.STORE, e instanceof HashMismatchException h ? h.actual() : null, request.actor(),
                    request.reason(), e instanceof HashMismatchException ? "mismatch" : "failed");
            throw e;
        }
    }

    /**
     * Records a failed attempt. If the log cannot be written either (the disk that
     * just filled up), the original error is what the caller needs; the logging
     * failure rides along as a suppressed exception.
     */
    private void recordFailure(EvidenceException e, CustodyAction action, String id, Actor actor, String reason, String outcome) {
        try {
            record(action, id, actor, reason, outcome, e.getMessage());
        } catch (EvidenceException logFailure) {
            e.addSuppressed(logFailure);
        }
    }

    /**
     * Records a read, check, export or refused deletion. Without the private key (a vault opened to
     * read and check by someone the key is kept from) nothing can be signed: the action is noted in
     * {@link #unrecorded()} for the caller to say so, never dropped silently.
     */
    void record(CustodyAction action, String id, Actor actor, String reason, String outcome, String detail) {
        if (signingKey == null) {
            unrecorded.add(action + (id == null ? "" : " of " + id));
            return;
        }
        custody.append(action, id, actor, reason, outcome, detail, null);
    }

    /**
     * The actions this vault could not record in the custody log because its private key was not
     * available ({@link #openExisting} by someone who may read the vault but not sign for it).
     */
    public List<String> unrecorded() {
        return List.copyOf(unrecorded);
    }

    private StoreResult publish(StoreRequest request, Backend.Put put) {
        String id = put.sha256();
        MANIFEST_LOCK.lock();
        try (FileChannel ch = FileChannel.open(config.root().resolve(".manifest.lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), SecureFiles.privateFile());
             FileLock ignored = ch.lock()) {
            byte[] previousBytes = backend.readManifest(id).orElse(null);
            Manifest previous = previousBytes == null ? null : checkedManifest(id, previousBytes);
            Instant now = Instant.now();
            ProvenanceEntry entry = new ProvenanceEntry(request.provenance(), request.expectedSha256(), now, request.actor(), request.reason());
            List<ProvenanceEntry> entries = new ArrayList<>(previous == null ? List.of() : previous.provenance());
            entries.add(entry);
            Map<String, String> storage = previous == null ? put.storage() : previous.storage();
            Manifest manifest = new Manifest(Manifest.SCHEMA, id, id, put.size(),
                    previous == null ? FormatSniffer.sniff(put.head()) : previous.format(),
                    previous == null ? now : previous.storedAt(), backend.location(id), storage, entries, keyId);
            ObjectNode tree = Canonical.tree(manifest);
            byte[] canonical = Canonical.bytes(tree);
            tree.put("signature", Base64.getEncoder().encodeToString(Ed25519.sign(signingKey, canonical)));
            byte[] file = Canonical.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
            backend.writeManifest(id, file);
            try {
                custody.append(CustodyAction.STORE, id, request.actor(), request.reason(), "ok",
                        (previous == null ? "stored " : "stored again (duplicate) ") + put.size() + " bytes from " + describe(request),
                        Hashes.sha256Hex(canonical));
            } catch (EvidenceException e) {
                // Fail closed: a store the custody log cannot record is undone, so that no item (or provenance
                // entry) is visible without its STORE record.
                StorageException undone = new StorageException(e.getMessage() + "; the store was undone, nothing was stored", e);
                try {
                    if (previousBytes == null) backend.deleteManifest(id);
                    else backend.writeManifest(id, previousBytes);
                } catch (EvidenceException undo) {
                    undone.addSuppressed(undo);
                }
                throw undone;
            }
            return new StoreResult(new EvidenceItem(id, manifest), previous != null);
        } catch (IOException e) {
            throw new StorageException("cannot write the manifest lock in " + config.root() + ": " + e.getMessage(), e);
        } finally {
            MANIFEST_LOCK.unlock();
        }
    }

    private static String describe(StoreRequest r) {
        return switch (r.source()) {
            case StoreRequest.FileSource f -> f.path().toString();
            case StoreRequest.StreamSource s -> "a stream";
        };
    }

    // ---- read ----------------------------------------------------------------------------------

    /** All items, newest first. Manifests that fail their signature are left out here; {@link #verifyAll} names them. */
    public List<EvidenceItem> list() {
        List<EvidenceItem> out = new ArrayList<>();
        for (String id : backend.manifestIds()) {
            try {
                out.add(item(id));
            } catch (EvidenceException e) {
                // reported by verify
            }
        }
        out.sort(Comparator.comparing((EvidenceItem i) -> i.manifest().storedAt()).reversed());
        return out;
    }

    /** Ids of every manifest present, signed or not. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(backend.manifestIds());
        ids.sort(null);
        return ids;
    }

    /** Resolves a full id or a unique prefix (at least 6 hex digits). */
    public String resolve(String idOrPrefix) {
        String p = idOrPrefix.strip().toLowerCase(java.util.Locale.ROOT);
        if (p.startsWith("sha256:")) p = p.substring(7);
        if (!p.matches("[0-9a-f]{6,64}")) throw new ItemNotFoundException("'" + idOrPrefix + "' is not an item id (6 to 64 hex digits)");
        String prefix = p;
        List<String> hits = backend.manifestIds().stream().filter(id -> id.startsWith(prefix)).toList();
        if (hits.isEmpty()) throw new ItemNotFoundException("no item " + idOrPrefix + " in the vault (" + backend.describe() + ")");
        if (hits.size() > 1) throw new ItemNotFoundException("'" + idOrPrefix + "' matches " + hits.size() + " items; give more digits");
        return hits.getFirst();
    }

    /** The item with its manifest, after checking the manifest's signature; throws {@link TamperedException} when it fails. */
    public EvidenceItem item(String idOrPrefix) {
        String id = resolve(idOrPrefix);
        byte[] bytes = backend.readManifest(id).orElseThrow(() -> new ItemNotFoundException("no item " + id));
        return new EvidenceItem(id, checkedManifest(id, bytes));
    }

    /** The stored manifest file, verbatim. */
    public byte[] manifestBytes(String idOrPrefix) {
        String id = resolve(idOrPrefix);
        return backend.readManifest(id).orElseThrow(() -> new ItemNotFoundException("no item " + id));
    }

    /**
     * Streams the item's bytes to {@code out} while hashing them; throws
     * {@link TamperedException} ({@link Part#ARCHIVE}) at the end when they do not
     * match the manifest, so the caller must discard what it wrote. Recorded as a READ.
     */
    public long read(String idOrPrefix, OutputStream out, Actor actor, String reason, ProgressListener progress) {
        String id = resolve(idOrPrefix);
        EvidenceItem item;
        try {
            item = item(id);
        } catch (EvidenceException e) {
            recordFailure(e, CustodyAction.READ, id, actor, reason, "refused");
            throw e;
        }
        try (InputStream in = backend.openObject(id)) {
            HashingCopy copy = new HashingCopy().copy(in, out, item.size(), progress == null ? ProgressListener.NONE : progress);
            out.flush();
            if (!copy.sha256().equals(id) || copy.size() != item.size()) {
                String msg = "archive bytes of " + id + " were altered: they hash to " + copy.sha256() + " (" + copy.size()
                        + " bytes), the manifest says " + id + " (" + item.size() + " bytes)";
                record(CustodyAction.READ, id, actor, reason, "mismatch", msg);
                throw new TamperedException(Part.ARCHIVE, msg);
            }
            record(CustodyAction.READ, id, actor, reason, "ok", "read " + copy.size() + " bytes");
            return copy.size();
        } catch (IOException e) {
            StorageException se = new StorageException("cannot read " + id + ": " + e.getMessage(), e);
            recordFailure(se, CustodyAction.READ, id, actor, reason, "failed");
            throw se;
        } catch (StorageException e) {
            recordFailure(e, CustodyAction.READ, id, actor, reason, "failed");
            throw e;
        }
    }

    /**
     * Writes the item to {@code output} (a new file, 0600), verifying the hash while
     * streaming. On a mismatch or failure the partial output is removed and nothing
     * is left at {@code output}.
     */
    public long get(String idOrPrefix, Path output, Actor actor, String reason, ProgressListener progress) {
        if (Files.exists(output)) throw new EvidenceException("refusing to overwrite " + output);
        Path abs = output.toAbsolutePath();
        Path part = abs.resolveSibling("." + abs.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            long n;
            try (FileChannel ch = FileChannel.open(part, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), SecureFiles.privateFile());
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), HashingCopy.BUFFER)) {
                n = read(idOrPrefix, out, actor, reason, progress);
                out.flush();
                ch.force(true);
            }
            Files.move(part, abs, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return n;
        } catch (IOException e) {
            throw new StorageException("cannot write " + output + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // nothing to keep
            }
        }
    }

    // ---- verify --------------------------------------------------------------------------------

    /** Checks one item's manifest signature and bytes; records a VERIFY. */
    public VerifyResult verify(String idOrPrefix, Actor actor, String reason) {
        String id = resolve(idOrPrefix);
        VerifyResult r = check(id, custody.latestManifestHashes());
        record(CustodyAction.VERIFY, id, actor, reason, r.ok() ? "ok" : "mismatch",
                r.ok() ? "sha256 and signature intact" : r.problems().getFirst().message());
        return r;
    }

    /** Checks every item; one VERIFY record per item. */
    public List<VerifyResult> verifyAll(Actor actor, String reason) {
        Map<String, String> recorded = custody.latestManifestHashes();
        List<VerifyResult> out = new ArrayList<>();
        for (String id : ids()) {
            VerifyResult r = check(id, recorded);
            record(CustodyAction.VERIFY, id, actor, reason, r.ok() ? "ok" : "mismatch",
                    r.ok() ? "sha256 and signature intact" : r.problems().getFirst().message());
            out.add(r);
        }
        return out;
    }

    private VerifyResult check(String id, Map<String, String> recordedManifestHashes) {
        List<Problem> problems = new ArrayList<>();
        byte[] bytes = backend.readManifest(id).orElse(null);
        long expectedSize = -1;
        if (bytes == null) {
            problems.add(new Problem(Part.MANIFEST, id, 0, "the manifest of " + id + " is missing"));
        } else {
            try {
                expectedSize = checkedManifest(id, bytes, recordedManifestHashes).size();
            } catch (TamperedException e) {
                // an untrusted manifest says nothing about the size: only the id (the hash) is checked below
                problems.add(new Problem(e.part(), id, 0, e.getMessage()));
            }
        }
        String sha = null;
        long size = 0;
        if (!backend.hasObject(id)) {
            problems.add(new Problem(Part.ARCHIVE, id, 0, "the archive bytes of " + id + " are missing from " + backend.location(id)));
        } else {
            try (InputStream in = backend.openObject(id)) {
                HashingCopy copy = new HashingCopy().copy(in, null, expectedSize, ProgressListener.NONE);
                sha = copy.sha256();
                size = copy.size();
                if (!sha.equals(id))
                    problems.add(new Problem(Part.ARCHIVE, id, 0, "archive bytes of " + id + " were altered: they hash to " + sha + " (" + size + " bytes)"));
                else if (expectedSize >= 0 && size != expectedSize)
                    problems.add(new Problem(Part.ARCHIVE, id, 0, "archive of " + id + " is " + size + " bytes, the manifest says " + expectedSize));
            } catch (IOException | StorageException e) {
                problems.add(new Problem(Part.ARCHIVE, id, 0, "cannot read the archive of " + id + ": " + e.getMessage()));
            }
        }
        return new VerifyResult(id, problems.isEmpty(), sha, size, problems);
    }

    private Manifest checkedManifest(String id, byte[] bytes) {
        return checkedManifest(id, bytes, null);
    }

    /**
     * Parses and checks a manifest: signature, key, id. A bad signature is told
     * apart as far as it can be: when the manifest's content still hashes to what
     * the custody log recorded at its store, the content is intact and the
     * signature is what changed.
     */
    private Manifest checkedManifest(String id, byte[] bytes, Map<String, String> recorded) {
        ObjectNode tree;
        try {
            tree = Canonical.parseObject(bytes);
        } catch (IOException e) {
            throw new TamperedException(Part.MANIFEST, "the manifest of " + id + " is not valid JSON (edited or damaged): " + firstLine(e.getMessage()));
        }
        JsonNode sigNode = tree.get("signature");
        if (sigNode == null || !sigNode.isTextual())
            throw new TamperedException(Part.SIGNATURE, "the manifest of " + id + " has no signature");
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(sigNode.asText());
        } catch (IllegalArgumentException e) {
            throw new TamperedException(Part.SIGNATURE, "the signature of " + id + "'s manifest is not base64 (edited)");
        }
        if (sig.length != 64) throw new TamperedException(Part.SIGNATURE, "the signature of " + id + "'s manifest is not an Ed25519 signature (" + sig.length + " bytes)");
        // Base64 has spare bits in its last characters; an edit there changes the text but not the bytes. Only the
        // one spelling the vault wrote is accepted, so any change to the signature text is reported.
        if (!Base64.getEncoder().encodeToString(sig).equals(sigNode.asText()))
            throw new TamperedException(Part.SIGNATURE, "the signature of " + id + "'s manifest was altered (not as written)");
        byte[] canonical = Canonical.bytesWithout(tree, "signature");
        if (!Ed25519.verify(publicKey, canonical, sig)) {
            String signer = tree.path("keyId").asText("");
            if (!signer.equals(keyId))
                throw new TamperedException(Part.SIGNATURE, "the manifest of " + id + " names signing key " + abbreviate(signer)
                        + ", not this vault's key " + abbreviate(keyId) + ", and does not verify with it");
            Map<String, String> rec = recorded == null ? custody.latestManifestHashes() : recorded;
            if (Hashes.sha256Hex(canonical).equals(rec.get(id)))
                throw new TamperedException(Part.SIGNATURE, "the signature of " + id + "'s manifest was altered (the manifest's content is as stored)");
            throw new TamperedException(Part.MANIFEST, "the manifest of " + id + " was edited: its signature does not match its content");
        }
        Manifest m;
        try {
            m = Canonical.MAPPER.treeToValue(tree, Manifest.class);
        } catch (IOException e) {
            throw new TamperedException(Part.MANIFEST, "the manifest of " + id + " is signed but unreadable: " + firstLine(e.getMessage()));
        }
        if (!id.equals(m.id()) || !id.equals(m.sha256()))
            throw new TamperedException(Part.MANIFEST, "the manifest stored for " + id + " describes " + m.id() + " (moved or renamed)");
        return m;
    }

    // ---- export / delete -----------------------------------------------------------------------

    /**
     * Writes a bundle a third party can check with standard tools: the archive,
     * the manifest (canonical, as signed), its raw signature, the public key,
     * SHA256SUMS, the item's custody records and a README with the commands.
     * {@code dir} must not exist or be empty.
     */
    public ExportResult export(String idOrPrefix, Path dir, Actor actor, String reason) {
        String id = resolve(idOrPrefix);
        try {
            return new Exporter(this).export(id, dir, actor, reason);
        } catch (EvidenceException e) {
            recordFailure(e, CustodyAction.EXPORT, id, actor, reason, "failed");
            throw e;
        }
    }

    /** Canonical manifest bytes (what the signature covers) and the raw signature; checked first. */
    byte[][] signedManifest(String id) {
        byte[] bytes = backend.readManifest(id).orElseThrow(() -> new ItemNotFoundException("no item " + id));
        checkedManifest(id, bytes);
        try {
            ObjectNode tree = Canonical.parseObject(bytes);
            return new byte[][] {Canonical.bytesWithout(tree, "signature"), Base64.getDecoder().decode(tree.get("signature").asText())};
        } catch (IOException e) {
            throw new TamperedException(Part.MANIFEST, "the manifest of " + id + " is unreadable");
        }
    }

    /**
     * Evidence is never deleted through stasis: the attempt is refused and
     * recorded (who, when, from where, why). Retention ends by the storage's
     * own rules (S3 Object Lock expiry, an administrator's hand), outside the tool.
     */
    public void delete(String idOrPrefix, Actor actor, String reason) {
        String id = resolve(idOrPrefix);
        record(CustodyAction.DELETE, id, actor, reason, "refused", "the vault is append-only");
        throw new EvidenceException("refusing to delete " + id + ": the vault is append-only (the attempt was recorded)");
    }

    private void requireSigningKey() {
        if (signingKey == null)
            throw new SigningKeyException("the vault's private key " + config.signingKey() + " is missing or not readable; this vault is open for"
                    + " reading and checking only (a key kept elsewhere: --signing-key FILE or STASIS_SIGNING_KEY)");
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static String abbreviate(String keyId) {
        return keyId.length() > 16 ? keyId.substring(0, 16) + "…" : keyId;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        backend.close();
    }
}
