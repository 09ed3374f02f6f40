package dev.stasis.workbench.internal;

import dev.stasis.analysis.AnalysisOptions;
import dev.stasis.analysis.Analyzer;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.report.Report;
import dev.stasis.evidence.Actor;
import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.EvidenceException;
import dev.stasis.evidence.EvidenceItem;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultNotFoundException;
import dev.stasis.evidence.cases.CaseStore;
import dev.stasis.workbench.WorkbenchConfig;
import dev.stasis.workbench.WorkbenchException;
import dev.stasis.workbench.internal.capture.CaptureIndexes;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the pages work on: the vault, the case database, the workbench's own state and caches. */
public final class Services implements Closeable {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final WorkbenchConfig config;
    private final Vault vault;
    private final CaseStore cases;
    private final CaptureIndexes captures;
    private final Map<String, Integrity> integrity = new ConcurrentHashMap<>();
    private final Map<String, Report> reports = new ConcurrentHashMap<>();
    private final java.util.Set<String> recorded = ConcurrentHashMap.newKeySet();

    /** Whether an item's stored bytes still hash to its id, as found by this server. */
    public enum Integrity { INTACT, TAMPERED }

    private Services(WorkbenchConfig config, Vault vault, CaseStore cases) {
        this.config = config;
        this.vault = vault;
        this.cases = cases;
        this.captures = new CaptureIndexes(config.stateDir().resolve("captures"));
    }

    public static Services open(WorkbenchConfig config) {
        Vault vault;
        try {
            vault = Vault.openExisting(config.vault());
        } catch (VaultNotFoundException e) {
            throw new WorkbenchException(e.getMessage() + " (create one with `stasis evidence keygen --vault DIR` or `evidence add`)");
        }
        try {
            Files.createDirectories(config.stateDir());
        } catch (IOException e) {
            vault.close();
            throw new WorkbenchException("cannot create the workbench's state directory " + config.stateDir() + ": " + e.getMessage());
        }
        String url = config.caseDbUrl() != null ? config.caseDbUrl() : CaseStore.sqlite(config.vault().caseDatabase());
        CaseStore cases = CaseStore.open(url, config.caseDbUser(), config.caseDbPassword());
        return new Services(config, vault, cases);
    }

    public WorkbenchConfig config() {
        return config;
    }

    public Vault vault() {
        return vault;
    }

    public CaseStore cases() {
        return cases;
    }

    public CaptureIndexes captures() {
        return captures;
    }

    /**
     * The item's bytes as a local file, read in place (never copied, never written): the local
     * backend's object. Items in S3 are fetched once (hash-checked by the vault) into the state directory.
     */
    public Path file(EvidenceItem item, Actor actor) {
        String location = item.manifest().location();
        if (location != null && location.startsWith("file:")) return Path.of(URI.create(location));
        Path copy = config.stateDir().resolve("items").resolve(item.id());
        if (!Files.exists(copy)) {
            try {
                Files.createDirectories(copy.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            vault.get(item.id(), copy, actor, "workbench: local copy for reading", null);
        }
        return copy;
    }

    /**
     * Hashes the stored bytes once per server run, before anything reads them for an analyst: a
     * tampered item is shown as such and never analysed. (The vault's verify, which also checks the
     * manifest's signature and the custody log, is the recorded check behind the page's button.)
     */
    public Integrity integrity(EvidenceItem item, Actor actor) {
        return integrity.computeIfAbsent(item.id(), id -> {
            try (InputStream in = Files.newInputStream(file(item, actor))) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
                return HexFormat.of().formatHex(md.digest()).equals(id) ? Integrity.INTACT : Integrity.TAMPERED;
            } catch (IOException | NoSuchAlgorithmException e) {
                return Integrity.TAMPERED;
            }
        });
    }

    /** Forgets what this run found about an item (after a recorded verification). */
    public void setIntegrity(String id, Integrity value) {
        integrity.put(id, value);
    }

    /** The analysis report of a checkpoint item, computed once per run; opening it is a recorded read. */
    public Report report(EvidenceItem item, Actor actor) {
        Report r = reports.get(item.id());
        if (r != null) return r;
        synchronized (reports) {
            r = reports.get(item.id());
            if (r != null) return r;
            Path file = file(item, actor);
            r = Analyzer.analyze(file, AnalysisOptions.defaults(), Progress.NONE);
            record(CustodyAction.READ, item.id(), actor, "workbench: analysis", "ok", "analysed for the workbench");
            reports.put(item.id(), r);
            return r;
        }
    }

    /**
     * Records a read once per server run for the same analyst, item and view: paging through a table
     * or reloading a page is one read of the evidence, not hundreds of custody records.
     */
    public void recordOnce(CustodyAction action, String item, Actor actor, String reason, String detail) {
        if (recorded.add(actor.who() + "\n" + item + "\n" + reason + "\n" + detail)) record(action, item, actor, reason, "ok", detail);
    }

    /** Appends to the custody log when this vault can sign; returns false when it cannot (read-only key). */
    public boolean record(CustodyAction action, String item, Actor actor, String reason, String outcome, String detail) {
        try {
            vault.custody().append(action, item, actor, reason, outcome, detail, null);
            return true;
        } catch (EvidenceException e) {
            return false;
        }
    }

    /**
     * The workbench's own record of what analysts did through it (case edits, which the custody log,
     * a log of actions on evidence items, has no action for): one JSON line each, in the state directory.
     */
    public synchronized void audit(Actor actor, String action, String subject, String detail) {
        var line = JSON.createObjectNode().put("time", java.time.Instant.now().toString()).put("who", actor.who())
                .put("host", actor.host()).put("action", action).put("subject", subject).put("detail", detail);
        try {
            Files.writeString(config.stateDir().resolve("actions.jsonl"), JSON.writeValueAsString(line) + "\n",
                    java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        captures.close();
        try {
            cases.close();
        } finally {
            vault.close();
        }
    }
}
