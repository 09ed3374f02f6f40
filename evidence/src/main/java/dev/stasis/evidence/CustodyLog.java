package dev.stasis.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stasis.evidence.internal.Canonical;
import dev.stasis.evidence.internal.Ed25519;
import dev.stasis.evidence.internal.SecureFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chain-of-custody log: one JSON record per line, append-only, each
 * hash-chained to the one before and signed. A small signed head file
 * ({@code custody.head}: last sequence number and hash) lets a check notice
 * records cut from the end, which a chain alone cannot. Appends from several
 * processes are serialised with a lock file.
 */
public final class CustodyLog {
    static final String GENESIS = "0".repeat(64);
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private final Path file;
    private final Path head;
    private final Path lock;
    private final PrivateKey signingKey;
    private final PublicKey publicKey;

    CustodyLog(Path file, PrivateKey signingKey, PublicKey publicKey) {
        this.file = file;
        this.head = file.resolveSibling(file.getFileName() + ".head");
        this.lock = file.resolveSibling(file.getFileName() + ".lock");
        this.signingKey = signingKey;
        this.publicKey = publicKey;
    }

    /** A log read with only a public key (for checking a copy). */
    public static CustodyLog forVerification(Path file, PublicKey key) {
        return new CustodyLog(file, null, key);
    }

    public Path file() {
        return file;
    }

    /** Appends a record and returns it as written. */
    public CustodyRecord append(CustodyAction action, String item, Actor actor, String reason, String outcome,
                                String detail, String manifestSha256) {
        if (signingKey == null) throw new SigningKeyException("no signing key: this custody log is open for verification only");
        IN_PROCESS.lock();
        try (FileChannel lockCh = FileChannel.open(lock, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), SecureFiles.privateFile());
             FileLock ignored = lockCh.lock()) {
            Head last = readHead();
            CustodyRecord unsigned = new CustodyRecord(last.seq + 1, Instant.now(), action, item, actor.who(), actor.host(),
                    actor.via(), reason, outcome, oneLine(detail), manifestSha256, last.hash, null);
            ObjectNode tree = Canonical.tree(unsigned);
            tree.remove("sig");
            byte[] signed = Canonical.bytes(tree);
            tree.put("sig", Base64.getEncoder().encodeToString(Ed25519.sign(signingKey, signed)));
            byte[] line = Canonical.bytes(tree);
            try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), SecureFiles.privateFile())) {
                ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            writeHead(new Head(unsigned.seq(), Hashes.sha256Hex(line)));
            return Canonical.MAPPER.treeToValue(tree, CustodyRecord.class);
        } catch (IOException e) {
            throw new StorageException("cannot append to the custody log " + file + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }

    /** Every record that parses, in file order (for listing; {@link #verify()} is the check). */
    public List<CustodyRecord> records() {
        List<CustodyRecord> out = new ArrayList<>();
        for (String line : lines()) {
            try {
                out.add(Canonical.MAPPER.readValue(line, CustodyRecord.class));
            } catch (IOException e) {
                // a damaged line is reported by verify(); a listing skips it
            }
        }
        return out;
    }

    /** The raw lines that concern {@code item}, verbatim (for an export's custody extract). */
    public List<String> linesFor(String item) {
        List<String> out = new ArrayList<>();
        for (String line : lines()) {
            try {
                JsonNode n = Canonical.MAPPER.readTree(line);
                if (item.equals(n.path("item").asText(null))) out.add(line);
            } catch (IOException ignored) {
                // damaged lines are verify()'s business
            }
        }
        return out;
    }

    /** For each item, the manifest hash its latest successful store recorded. */
    public Map<String, String> latestManifestHashes() {
        Map<String, String> out = new HashMap<>();
        for (CustodyRecord r : records()) {
            if (r.action() == CustodyAction.STORE && "ok".equals(r.outcome()) && r.manifest() != null) out.put(r.item(), r.manifest());
        }
        return out;
    }

    /**
     * Checks every record's signature, sequence and link to its predecessor,
     * and the head: names each record that was edited, removed or reordered.
     */
    public CustodyVerification verify() {
        List<Problem> problems = new ArrayList<>();
        List<String> lines = lines();
        // First pass: every line's claimed sequence number, signature and hash.
        record Line(int lineNo, long seq, String item, boolean signed, String hash, String prev) {}
        List<Line> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            try {
                ObjectNode node = Canonical.parseObject(text.getBytes(StandardCharsets.UTF_8));
                parsed.add(new Line(i + 1, node.path("seq").asLong(-1), node.path("item").asText(null), signatureValid(node),
                        Hashes.sha256Hex(Canonical.bytes(node)), node.path("prev").asText("")));
            } catch (IOException e) {
                parsed.add(new Line(i + 1, -1, null, false, Hashes.sha256Hex(text.getBytes(StandardCharsets.UTF_8)), ""));
            }
        }
        Map<Long, Line> bySeq = new HashMap<>();
        for (Line l : parsed) if (l.seq > 0) bySeq.putIfAbsent(l.seq, l);
        // Second pass: name each problem once, by record number.
        long maxSeen = 0;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Line l : parsed) {
            if (l.seq <= 0) {
                problems.add(new Problem(Part.LOG, null, 0, "line " + l.lineNo + " is not a valid record: edited or damaged"));
                continue;
            }
            if (!seen.add(l.seq)) {
                problems.add(new Problem(Part.LOG, l.item, l.seq, "record " + l.seq + " appears more than once (line " + l.lineNo + "): duplicated"));
                continue;
            }
            if (!l.signed) {
                problems.add(new Problem(Part.LOG, l.item, l.seq, "record " + l.seq + " (line " + l.lineNo + ") was edited: its signature does not match its content"));
            } else if (l.seq < maxSeen) {
                problems.add(new Problem(Part.LOG, l.item, l.seq, "record " + l.seq + " is out of order (line " + l.lineNo + ", after record " + maxSeen + "): reordered"));
            } else {
                Line before = l.seq == 1 ? null : bySeq.get(l.seq - 1);
                String expectedPrev = l.seq == 1 ? GENESIS : before == null || !before.signed ? null : before.hash;
                if (expectedPrev != null && !expectedPrev.equals(l.prev))
                    problems.add(new Problem(Part.LOG, l.item, l.seq, "record " + l.seq + " (line " + l.lineNo + ") does not link to record " + (l.seq - 1)
                            + " as it was written: one of them was replaced"));
            }
            maxSeen = Math.max(maxSeen, l.seq);
        }
        for (long s = 1; s <= maxSeen; s++) {
            if (seen.contains(s)) continue;
            long from = s;
            while (s + 1 <= maxSeen && !seen.contains(s + 1)) s++;
            problems.add(new Problem(Part.LOG, null, from, from == s ? "record " + from + " was removed" : "records " + from + ".." + s + " were removed"));
        }
        Head h = null;
        try {
            h = readHeadStrict();
        } catch (TamperedException e) {
            problems.add(new Problem(Part.LOG, null, 0, e.getMessage()));
        }
        long headSeq = h == null ? 0 : h.seq;
        if (h != null && h.seq > maxSeen) {
            problems.add(new Problem(Part.LOG, null, maxSeen + 1, (h.seq - maxSeen == 1 ? "record " + h.seq + " was removed"
                    : "records " + (maxSeen + 1) + ".." + h.seq + " were removed") + " from the end of the log (the head says " + h.seq + " records were written)"));
        } else if (h != null && bySeq.containsKey(h.seq) && bySeq.get(h.seq).signed && !h.hash.equals(bySeq.get(h.seq).hash)) {
            problems.add(new Problem(Part.LOG, null, h.seq, "record " + h.seq + " is not the one the head recorded: replaced"));
        } else if (h == null && !lines.isEmpty()) {
            problems.add(new Problem(Part.LOG, null, 0, "the custody log's head file " + head.getFileName() + " is missing"));
        }
        problems.sort(java.util.Comparator.comparingLong(Problem::seq));
        return new CustodyVerification(lines.size(), problems.isEmpty(), headSeq, problems);
    }

    private boolean signatureValid(ObjectNode node) {
        JsonNode sig = node.get("sig");
        if (sig == null || !sig.isTextual()) return false;
        byte[] s;
        try {
            s = Base64.getDecoder().decode(sig.asText());
        } catch (IllegalArgumentException e) {
            return false;
        }
        // only the exact spelling written counts: base64's spare bits could otherwise change unnoticed
        if (!Base64.getEncoder().encodeToString(s).equals(sig.asText())) return false;
        return Ed25519.verify(publicKey, Canonical.bytesWithout(node, "sig"), s);
    }

    private List<String> lines() {
        try {
            List<String> out = new ArrayList<>();
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) if (!l.isBlank()) out.add(l);
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StorageException("cannot read the custody log " + file + ": " + e.getMessage(), e);
        }
    }

    private record Head(long seq, String hash) {}

    /** The head for appending: trusts it when its signature holds, else falls back to the log's last line. */
    private Head readHead() {
        try {
            Head h = readHeadStrict();
            if (h != null) return h;
        } catch (TamperedException e) {
            // fall through: append after the last line; verify() still reports the damaged head
        }
        List<String> lines = lines();
        if (lines.isEmpty()) return new Head(0, GENESIS);
        String last = lines.getLast();
        try {
            ObjectNode n = Canonical.parseObject(last.getBytes(StandardCharsets.UTF_8));
            return new Head(n.path("seq").asLong(lines.size()), Hashes.sha256Hex(Canonical.bytes(n)));
        } catch (IOException e) {
            return new Head(lines.size(), Hashes.sha256Hex(last.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private Head readHeadStrict() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(head);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StorageException("cannot read " + head + ": " + e.getMessage(), e);
        }
        try {
            ObjectNode n = Canonical.parseObject(bytes);
            byte[] sig = Base64.getDecoder().decode(n.path("sig").asText(""));
            if (!Ed25519.verify(publicKey, Canonical.bytesWithout(n, "sig"), sig))
                throw new TamperedException(Part.LOG, "the custody log's head file was edited (its signature does not match)");
            return new Head(n.path("seq").asLong(), n.path("hash").asText());
        } catch (IOException | IllegalArgumentException e) {
            throw new TamperedException(Part.LOG, "the custody log's head file is damaged: " + e.getMessage());
        }
    }

    private void writeHead(Head h) throws IOException {
        ObjectNode n = Canonical.MAPPER.createObjectNode();
        n.put("seq", h.seq);
        n.put("hash", h.hash);
        n.put("sig", Base64.getEncoder().encodeToString(Ed25519.sign(signingKey, Canonical.bytes(n))));
        SecureFiles.writeAtomically(head, Canonical.bytes(n));
    }

    private static String oneLine(String s) {
        return s == null ? null : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
