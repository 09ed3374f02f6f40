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
import java.util.Arrays;
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
    /**
     * Test-only fault injection, read once: {@code -Dstasis.test.custodyStall=after-record} (the record
     * written and fsynced, the head not yet) or {@code mid-record} (half the record's bytes written).
     * The process prints {@code CUSTODY-STALL} and stalls there so that a test can SIGKILL it at exactly
     * that point. Never set outside the tests' child JVMs.
     */
    private static final String STALL = System.getProperty("stasis.test.custodyStall");

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

    /**
     * Appends a record and returns it as written. The head is first reconciled with the log's last
     * line ({@link #reconcile}), so that an earlier append cut short by a full disk or a SIGKILL never
     * makes this one reuse a sequence number. The record is written and fsynced, then the signed head;
     * a failure at either step takes the record back out and throws a one-line
     * {@link StorageException}: nothing is claimed that was not written.
     */
    public CustodyRecord append(CustodyAction action, String item, Actor actor, String reason, String outcome,
                                String detail, String manifestSha256) {
        if (signingKey == null) throw new SigningKeyException("no signing key: this custody log is open for verification only");
        IN_PROCESS.lock();
        try (FileChannel lockCh = FileChannel.open(lock, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), SecureFiles.privateFile());
             FileLock ignored = lockCh.lock();
             FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                     SecureFiles.privateFile())) {
            Head last = reconcile(ch, actor);
            return write(ch, last, action, item, actor, reason, outcome, detail, manifestSha256).record();
        } catch (IOException e) {
            throw new StorageException("cannot append to the custody log " + file + ": " + describe(e), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }

    private record Written(CustodyRecord record, Head head) {}

    /** Writes one record after {@code last} and then the head; on any failure the log is cut back to where it was. */
    private Written write(FileChannel ch, Head last, CustodyAction action, String item, Actor actor, String reason, String outcome,
                          String detail, String manifestSha256) throws IOException {
        CustodyRecord unsigned = new CustodyRecord(last.seq + 1, Instant.now(), action, item, actor.who(), actor.host(),
                actor.via(), reason, outcome, oneLine(detail), manifestSha256, last.hash, null);
        ObjectNode tree = Canonical.tree(unsigned);
        tree.remove("sig");
        byte[] signed = Canonical.bytes(tree);
        tree.put("sig", Base64.getEncoder().encodeToString(Ed25519.sign(signingKey, signed)));
        byte[] line = Canonical.bytes(tree);
        long start = ch.size();
        try {
            ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
            if ("mid-record".equals(STALL)) {
                writeAt(ch, buf.slice(0, line.length / 2), start);
                ch.force(true);
                stall();
            }
            writeAt(ch, buf, start);
            ch.force(true);
            if ("after-record".equals(STALL)) stall();
            Head written = new Head(unsigned.seq(), Hashes.sha256Hex(line));
            writeHead(written);
            return new Written(Canonical.MAPPER.treeToValue(tree, CustodyRecord.class), written);
        } catch (IOException | RuntimeException e) {
            cutBack(ch, start, e);
            throw e;
        }
    }

    /**
     * Brings the signed head and the log's end into agreement before an append, and returns the
     * record to append after:
     * <ul>
     * <li>the last complete line is the record the head names: append after it;</li>
     * <li>it is the next record, signed and linked to the head's (written, but the process stopped
     *     before the head was): it is adopted;</li>
     * <li>the log ends in an incomplete line (an append cut short): when it is a whole signed record
     *     missing only its newline, linked to the line before, it is completed and adopted; otherwise
     *     its bytes are kept in {@code custody.log.torn}, cut off, and the cut is recorded as a
     *     {@link CustodyAction#REPAIR} record, never silently;</li>
     * <li>anything else (an edited log or head): numbering continues after the highest number seen
     *     anywhere, so no number is used twice, and {@link #verify()} keeps naming the damage.</li>
     * </ul>
     */
    private Head reconcile(FileChannel ch, Actor actor) throws IOException {
        Head head = trustedHead();
        End end = readEnd(ch);
        Head base = after(end, head);
        if (end.torn().length == 0) return base;
        ObjectNode whole = signedRecord(end.torn());
        if (whole != null && whole.path("seq").asLong() == base.seq + 1 && base.hash.equals(whole.path("prev").asText())) {
            writeAt(ch, ByteBuffer.wrap(new byte[] {'\n'}), ch.size());
            ch.force(true);
            return new Head(base.seq + 1, Hashes.sha256Hex(Canonical.bytes(whole)));
        }
        Path kept = keepTorn(end.torn());
        ch.truncate(end.completeEnd());
        ch.force(true);
        // what the cut line was about, as far as its beginning tells (canonical JSON starts with "action", then "detail", "host", "item")
        String text = new String(end.torn(), StandardCharsets.UTF_8);
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("^\\{\"action\":\"([A-Z_]{1,20})\"").matcher(text);
        java.util.regex.Matcher item = java.util.regex.Pattern.compile("\"item\":\"([0-9a-f]{64})\"").matcher(text);
        String what = action.find() ? "an incomplete " + action.group(1) + " record" : "an incomplete last line";
        String about = item.find() ? item.group(1) : null;
        try {
            return write(ch, base, CustodyAction.REPAIR, about, actor, "an earlier append was interrupted", "ok",
                    "cut " + what + " of " + end.torn().length + " bytes (sha256 " + Hashes.sha256Hex(end.torn())
                            + ") left by an interrupted append; the bytes are kept in " + kept.getFileName(), null).head();
        } catch (IOException | RuntimeException e) {
            // the cut must not stand unrecorded: put the bytes back for the next append to try again
            try {
                writeAt(ch, ByteBuffer.wrap(end.torn()), end.completeEnd());
                ch.force(true);
            } catch (IOException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
    }

    /** Where to append given the complete lines and the head (see {@link #reconcile}). */
    private Head after(End end, Head head) {
        if (end.last() == null) return head != null ? head : new Head(0, GENESIS);
        ObjectNode last = parseOrNull(end.last());
        String lastHash = last != null ? Hashes.sha256Hex(Canonical.bytes(last)) : Hashes.sha256Hex(end.last());
        if (last != null && head != null) {
            long seq = last.path("seq").asLong(-1);
            if (seq == head.seq && lastHash.equals(head.hash)) return head;
            if (seq == head.seq + 1 && head.hash.equals(last.path("prev").asText()) && signatureValid(last)) return new Head(seq, lastHash);
        }
        long highest = head == null ? 0 : head.seq;
        for (String line : lines()) {
            ObjectNode n = parseOrNull(line.getBytes(StandardCharsets.UTF_8));
            if (n != null) highest = Math.max(highest, n.path("seq").asLong(0));
        }
        return new Head(highest, lastHash);
    }

    /** The log's last complete line (null when there is none), where it ends, and the incomplete bytes after it. */
    private record End(long completeEnd, byte[] last, byte[] torn) {}

    private static End readEnd(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) return new End(0, null, new byte[0]);
        for (long window = 64 << 10; ; window *= 2) {
            long from = Math.max(0, size - window);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
            while (buf.hasRemaining()) if (ch.read(buf, from + buf.position()) < 0) throw new IOException("the custody log shrank while it was locked");
            byte[] b = buf.array();
            int nl = lastNewline(b, b.length - 1);
            int before = nl < 0 ? -1 : lastNewline(b, nl - 1);
            if (from > 0 && (nl < 0 || before < 0)) continue; // the line starts before this window
            byte[] torn = Arrays.copyOfRange(b, nl + 1, b.length);
            if (nl < 0) return new End(0, null, torn);
            return new End(from + nl + 1, Arrays.copyOfRange(b, before + 1, nl), torn);
        }
    }

    private static int lastNewline(byte[] b, int from) {
        for (int i = from; i >= 0; i--) if (b[i] == '\n') return i;
        return -1;
    }

    private static void writeAt(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) p += ch.write(buf, p);
    }

    /** Takes back an append that did not complete; if even that fails, the next append's reconcile sees the rest. */
    private static void cutBack(FileChannel ch, long size, Exception cause) {
        try {
            if (ch.size() > size) {
                ch.truncate(size);
                ch.force(true);
            }
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Appends the incomplete bytes, and a newline, to {@code custody.log.torn} (0600, fsynced) before they are cut. */
    private Path keepTorn(byte[] torn) throws IOException {
        Path kept = file.resolveSibling(file.getFileName() + ".torn");
        try (FileChannel ch = FileChannel.open(kept, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                SecureFiles.privateFile())) {
            ByteBuffer buf = ByteBuffer.allocate(torn.length + 1).put(torn).put((byte) '\n').flip();
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
        return kept;
    }

    private ObjectNode signedRecord(byte[] bytes) {
        ObjectNode n = parseOrNull(bytes);
        return n != null && n.path("seq").asLong(-1) > 0 && signatureValid(n) ? n : null;
    }

    private static ObjectNode parseOrNull(byte[] bytes) {
        try {
            return Canonical.parseObject(bytes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
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
        List<String> notes = new ArrayList<>();
        // The head first, then the lines: an append that lands in between then shows as a record not yet
        // covered by the head (a note), never as records "removed from the end".
        Head h = null;
        try {
            h = readHeadStrict();
        } catch (TamperedException e) {
            problems.add(new Problem(Part.LOG, null, 0, e.getMessage()));
        }
        Content content = content();
        List<String> lines = content.lines();
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
        long headSeq = h == null ? 0 : h.seq;
        if (h != null && h.seq > maxSeen) {
            problems.add(new Problem(Part.LOG, null, maxSeen + 1, (h.seq - maxSeen == 1 ? "record " + h.seq + " was removed"
                    : "records " + (maxSeen + 1) + ".." + h.seq + " were removed") + " from the end of the log (the head says " + h.seq + " records were written)"));
        } else if (h != null && bySeq.containsKey(h.seq) && bySeq.get(h.seq).signed && !h.hash.equals(bySeq.get(h.seq).hash)) {
            problems.add(new Problem(Part.LOG, null, h.seq, "record " + h.seq + " is not the one the head recorded: replaced"));
        } else if (h == null && !lines.isEmpty()) {
            problems.add(new Problem(Part.LOG, null, 0, "the custody log's head file " + head.getFileName() + " is missing"));
        }
        // Not tampering: the traces an append leaves when it is cut short, which the next append settles.
        if (h != null && maxSeen > h.seq && problems.isEmpty())
            notes.add((maxSeen - h.seq == 1 ? "record " + maxSeen + " is" : "records " + (h.seq + 1) + ".." + maxSeen + " are")
                    + " not yet covered by the signed head (an append stopped after writing the record); the next append adopts it");
        if (content.torn() != null)
            notes.add("line " + (lines.size() + 1) + " is incomplete (" + content.torn().length + " bytes, no newline): an append was interrupted;"
                    + " the next append completes it, or cuts it off into " + file.getFileName() + ".torn and records the cut");
        problems.sort(java.util.Comparator.comparingLong(Problem::seq));
        return new CustodyVerification(lines.size(), problems.isEmpty(), headSeq, problems, notes);
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

    /** The complete, non-blank lines (decoded leniently: a torn multi-byte character must not hide the rest). */
    private List<String> lines() {
        return content().lines();
    }

    /** The log's complete lines and, when it does not end with a newline, the incomplete bytes after the last one. */
    private record Content(List<String> lines, byte[] torn) {}

    private Content content() {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Content(List.of(), null);
        } catch (IOException e) {
            throw new StorageException("cannot read the custody log " + file + ": " + e.getMessage(), e);
        }
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') continue;
            String l = new String(all, from, i - from, StandardCharsets.UTF_8);
            if (!l.isBlank()) out.add(l);
            from = i + 1;
        }
        return new Content(out, from < all.length ? Arrays.copyOfRange(all, from, all.length) : null);
    }

    private record Head(long seq, String hash) {}

    /** The head when its signature holds; null when it is missing or damaged (verify() reports that). */
    private Head trustedHead() {
        try {
            return readHeadStrict();
        } catch (TamperedException e) {
            return null;
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

    private static void stall() {
        System.out.println("CUSTODY-STALL");
        System.out.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String oneLine(String s) {
        return s == null ? null : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
