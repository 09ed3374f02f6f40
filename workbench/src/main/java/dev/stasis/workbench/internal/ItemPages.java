package dev.stasis.workbench.internal;

import dev.stasis.analysis.diff.CheckpointDiff;
import dev.stasis.analysis.diff.DiffText;
import dev.stasis.analysis.report.ProcessRow;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.container.EmbeddedFiles;
import dev.stasis.checkpoint.container.RootfsDiffReader;
import dev.stasis.analysis.report.Report;
import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.CustodyRecord;
import dev.stasis.evidence.EvidenceException;
import dev.stasis.evidence.EvidenceItem;
import dev.stasis.evidence.ExportResult;
import dev.stasis.evidence.ItemNotFoundException;
import dev.stasis.evidence.VerifyResult;
import dev.stasis.memory.ArchiveMemorySource;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MemoryException;
import dev.stasis.memory.search.MemorySearch;
import dev.stasis.memory.search.SearchHit;
import dev.stasis.memory.search.SearchPattern;
import dev.stasis.workbench.internal.Services.Integrity;
import dev.stasis.workbench.internal.http.Req;
import dev.stasis.workbench.internal.http.Req.HttpError;
import dev.stasis.workbench.internal.view.Hexdump;
import dev.stasis.workbench.internal.view.Views;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Evidence items: the list, an item's page (integrity, custody, analysis report, process tree), verify, export, memory. */
final class ItemPages {
    private static final int CONTEXT = 48;
    private static final int MAX_HITS = 100;

    private final Services services;

    ItemPages(Services services, Pages pages) {
        this.services = services;
    }

    void handle(Req req, boolean get) throws IOException {
        String id = req.segment(1);
        if (id == null) {
            if (!get) return;
            List<CustodyRecord> all = services.vault().custody().records();
            List<Views.ItemRow> rows = services.vault().list().stream().map(i -> row(i.id(), all, req)).toList();
            req.html(200, Pages.render("items.jte", new Views.ItemsPage(Pages.frame(req, "Evidence"), rows)));
            return;
        }
        EvidenceItem item = item(id);
        if (!id.equals(item.id())) {
            req.redirect("/items/" + item.id());
            return;
        }
        String action = req.segment(2);
        if (action == null && get) {
            page(req, item);
        } else if ("file".equals(action) && get) {
            file(req, item);
        } else if ("diff".equals(action) && get) {
            diff(req, item);
        } else if ("memory".equals(action) && get) {
            memory(req, item);
        } else if ("verify".equals(action) && !get) {
            VerifyResult v = services.vault().verify(item.id(), req.actor(), "workbench: verify");
            services.setIntegrity(item.id(), v.ok() ? Integrity.INTACT : Integrity.TAMPERED);
            req.redirect("/items/" + item.id() + "#custody");
        } else if ("export".equals(action) && !get) {
            Path dir = services.config().stateDir().resolve("exports")
                    .resolve(item.id().substring(0, 12) + "-" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", ""));
            Files.createDirectories(dir.getParent());
            ExportResult r = services.vault().export(item.id(), dir, req.actor(), "workbench: export for a third party");
            req.redirect("/items/" + item.id() + "?exported=" + Req.enc(r.directory().toString()));
        }
    }

    /** Files above this are not offered for download through the browser (extract them with `stasis extract`). */
    private static final long MAX_DOWNLOAD = 64L << 20;

    /**
     * A file the checkpoint holds (rootfs diff, ghost file, memfd), read from the archive as a stream
     * and sent only when its SHA-256 is the one the analysis recorded: a hash-checked download.
     */
    private void file(Req req, EvidenceItem item) throws IOException {
        String path = req.param("path", "");
        if (services.integrity(item, req.actor()) == Integrity.TAMPERED) throw new HttpError(409, "the item is tampered: nothing is read from it");
        if (!kind(item, req).equals("checkpoint")) throw new HttpError(400, "not a checkpoint");
        String expected = services.report(item, req.actor()).fileChanges().stream().filter(f -> f.path().equals(path) && f.sha256() != null)
                .map(dev.stasis.analysis.report.FileChange::sha256).findFirst().orElseThrow(() -> new HttpError(404, "no recovered file " + path + " in this checkpoint"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (CheckpointArchive archive = CheckpointArchive.open(services.file(item, req.actor()))) {
            var embedded = new EmbeddedFiles(archive, new ArrayList<>()).find(path);
            if (embedded.isPresent()) {
                if (embedded.get().size() > MAX_DOWNLOAD) throw new HttpError(413, path + " is larger than 64 MiB: use stasis extract");
                new EmbeddedFiles(archive, new ArrayList<>()).copy(embedded.get(), out);
            } else {
                boolean[] tooLarge = {false};
                RootfsDiffReader.walk(archive, (entry, data) -> {
                    if (out.size() == 0 && RootfsDiffReader.isRegular(entry) && RootfsDiffReader.containerPath(entry.getName()).equals(path)) {
                        if (entry.getSize() > MAX_DOWNLOAD) tooLarge[0] = true;
                        else data.transferTo(out);
                    }
                });
                if (tooLarge[0]) throw new HttpError(413, path + " is larger than 64 MiB: use stasis extract");
            }
        } catch (dev.stasis.checkpoint.CheckpointException e) {
            throw new HttpError(422, e.getMessage());
        }
        byte[] bytes = out.toByteArray();
        String actual;
        try {
            actual = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!actual.equals(expected)) throw new HttpError(409, path + ": SHA-256 " + actual + " is not the analysed " + expected + ": not sent");
        services.recordOnce(CustodyAction.READ, item.id(), req.actor(), "workbench: file download", path + " sha256 " + actual);
        String name = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        req.header("Content-Disposition", "attachment; filename=\"" + (name.isEmpty() ? "file" : name) + ".bin\"");
        req.header("X-Content-SHA256", actual);
        req.send(200, "application/octet-stream", bytes);
    }

    /** What changed between this checkpoint and another item (analysis's diff, as `stasis diff` prints it). */
    private void diff(Req req, EvidenceItem item) throws IOException {
        EvidenceItem other = item(req.param("against", ""));
        for (EvidenceItem i : List.of(item, other)) {
            if (services.integrity(i, req.actor()) == Integrity.TAMPERED) throw new HttpError(409, "item " + i.id().substring(0, 12) + " is tampered: not compared");
            if (!kind(i, req).equals("checkpoint")) throw new HttpError(400, "item " + i.id().substring(0, 12) + " is not a checkpoint");
        }
        String text;
        try {
            text = DiffText.render(CheckpointDiff.compare(services.file(other, req.actor()), services.file(item, req.actor()), dev.stasis.analysis.Progress.NONE), false);
        } catch (RuntimeException e) {
            throw new HttpError(422, e.getMessage());
        }
        for (EvidenceItem i : List.of(item, other))
            services.recordOnce(CustodyAction.READ, i.id(), req.actor(), "workbench: diff", other.id().substring(0, 12) + " -> " + item.id().substring(0, 12));
        req.html(200, Pages.render("diff.jte", new Views.DiffPage(Pages.frame(req, "Diff"), other.id(), item.id(), text)));
    }

    private EvidenceItem item(String id) {
        try {
            return services.vault().item(id);
        } catch (ItemNotFoundException e) {
            throw new HttpError(404, e.getMessage());
        } catch (EvidenceException e) {
            throw new HttpError(400, e.getMessage());
        }
    }

    /**
     * What an item is, from its first bytes: a syscall capture (pcapng section header, plain or
     * gzip-compressed, as sysdig writes both) or else a checkpoint archive.
     */
    String kind(EvidenceItem item, Req req) {
        String format = item.manifest().format();
        if (!"unknown".equals(format) && !"tar+gzip".equals(format)) return "checkpoint";
        try (InputStream raw = Files.newInputStream(services.file(item, req.actor()));
             InputStream in = "tar+gzip".equals(format) ? new java.util.zip.GZIPInputStream(raw) : raw) {
            byte[] head = in.readNBytes(4);
            if (head.length == 4 && head[0] == 0x0a && head[1] == 0x0d && head[2] == 0x0d && head[3] == 0x0a) return "capture";
        } catch (IOException | EvidenceException e) {
            return "unknown";
        }
        return "tar+gzip".equals(format) ? "checkpoint" : "unknown";
    }

    Views.ItemRow row(String id, List<CustodyRecord> custody, Req req) {
        EvidenceItem item;
        try {
            item = services.vault().item(id);
        } catch (EvidenceException e) {
            return new Views.ItemRow(id, id.substring(0, Math.min(12, id.length())), "missing", "", 0, "", "", "missing from the vault", "");
        }
        CustodyRecord last = null;
        for (CustodyRecord r : custody) if (r.action() == CustodyAction.VERIFY && id.equals(r.item())) last = r;
        String lastVerified = last == null ? "never" : time(last.time()) + " by " + last.who() + ": " + last.outcome();
        var prov = item.manifest().provenance();
        String source = prov.isEmpty() || prov.getLast().source() == null ? "" : describe(prov.getLast().source());
        Integrity integrity = services.integrity(item, req.actor());
        return new Views.ItemRow(id, id.substring(0, 12), kind(item, req), item.manifest().format(), item.manifest().size(),
                time(item.manifest().storedAt()), source, integrity == Integrity.INTACT ? "intact" : "tampered", lastVerified);
    }

    private static String describe(dev.stasis.evidence.Provenance p) {
        List<String> parts = new ArrayList<>();
        if (p.namespace() != null || p.pod() != null) parts.add((p.namespace() == null ? "" : p.namespace() + "/") + (p.pod() == null ? "" : p.pod()));
        if (p.container() != null) parts.add(p.container());
        if (p.sourceName() != null) parts.add(p.sourceName());
        return String.join(" · ", parts);
    }

    static String time(Instant t) {
        return t == null ? "" : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private void page(Req req, EvidenceItem item) throws IOException {
        List<CustodyRecord> all = services.vault().custody().records();
        Views.ItemRow row = row(item.id(), all, req);
        List<CustodyRecord> custody = all.stream().filter(r -> item.id().equals(r.item())).toList().reversed();
        Report report = null;
        String error = null;
        List<Views.ProcessNode> tree = List.of();
        if (row.state().equals("tampered")) {
            error = "the stored bytes no longer hash to the item's id: not analysed";
        } else if (row.kind().equals("checkpoint")) {
            try {
                report = services.report(item, req.actor());
                tree = report.processes().stream().map(ItemPages::node).toList();
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
        }
        List<String> cases = services.cases().casesOf(item.id());
        java.util.Set<String> others = new java.util.LinkedHashSet<>();
        if (row.kind().equals("checkpoint"))
            for (String c : cases) for (var link : services.cases().show(c).evidence()) if (!link.itemId().equals(item.id())) others.add(link.itemId());
        req.html(200, Pages.render("item.jte", new Views.ItemPage(Pages.frame(req, "Item " + row.shortId()), item, row,
                cases, custody, report, error, req.param("exported", null), tree, List.copyOf(others))));
    }

    private static Views.ProcessNode node(ProcessRow p) {
        return new Views.ProcessNode(p.pid(), p.ppid(), p.depth(), p.comm(), p.cmdline(), p.exe(), p.state(), p.findingIds(),
                p.worst() == null ? "" : p.worst().label());
    }

    private void memory(Req req, EvidenceItem item) throws IOException {
        String q = req.param("q", "");
        String kind = req.param("kind", "text");
        String pidText = req.param("pid", "").strip();
        String at = req.param("at", "").strip();
        List<Views.MemoryHit> hits = new ArrayList<>();
        boolean truncated = false;
        String error = null;
        Hexdump atDump = null;
        String atNote = null;
        List<Integer> pids = new ArrayList<>();
        if (services.integrity(item, req.actor()) == Integrity.TAMPERED) throw new HttpError(409, "the item is tampered: its memory is not read");
        Set<Integer> only = Set.of();
        if (!pidText.isEmpty()) {
            try {
                only = Set.of(Integer.parseInt(pidText));
            } catch (NumberFormatException e) {
                error = "pid is a number, not '" + pidText + "'";
            }
        }
        try (ArchiveMemorySource src = ArchiveMemorySource.open(services.file(item, req.actor()))) {
            CheckpointMemory mem = CheckpointMemory.load(src);
            mem.processes().forEach(p -> pids.add(p.pid()));
            if (error == null && !q.isEmpty()) {
                SearchPattern pattern = switch (kind) {
                    case "hex" -> SearchPattern.hex(q);
                    case "regex" -> SearchPattern.regex(q, false, 4096);
                    default -> SearchPattern.text(q, false);
                };
                MemorySearch.Result r = MemorySearch.search(mem, pattern, new MemorySearch.Options(only, CONTEXT, MAX_HITS), null);
                truncated = r.truncated();
                for (SearchHit h : r.hits()) {
                    byte[] all = new byte[h.before().length + h.match().length + h.after().length];
                    System.arraycopy(h.before(), 0, all, 0, h.before().length);
                    System.arraycopy(h.match(), 0, all, h.before().length, h.match().length);
                    System.arraycopy(h.after(), 0, all, h.before().length + h.match().length, h.after().length);
                    hits.add(new Views.MemoryHit(h.pid(), h.process(), "0x" + Long.toHexString(h.address()), h.vma() == null ? "" : h.vma().name(),
                            Hexdump.of(all, h.address() - h.before().length, h.address(), h.match().length)));
                }
                services.recordOnce(CustodyAction.READ, item.id(), req.actor(), "workbench: memory search", kind + " search, " + hits.size() + " hit(s)");
            }
            if (error == null && !at.isEmpty() && only.size() == 1) {
                long addr = Long.parseUnsignedLong(at.startsWith("0x") ? at.substring(2) : at, 16);
                byte[] buf = new byte[256];
                long base = Math.max(0, (addr & ~15L) - 64);
                var gaps = mem.addressSpace(only.iterator().next()).read(base, buf, 0, buf.length);
                atDump = Hexdump.of(buf, base, addr, Math.max(1, Math.min(64, req.longParam("len", 16))));
                atNote = gaps.isEmpty() ? null : gaps.size() + " stretch(es) the checkpoint lacks are shown as zeros";
                services.recordOnce(CustodyAction.READ, item.id(), req.actor(), "workbench: memory view", "pid " + only.iterator().next() + " at " + at);
            }
        } catch (MemoryException | IllegalArgumentException e) {
            error = e.getMessage();
        }
        req.html(200, Pages.render("memory.jte", new Views.MemoryPage(Pages.frame(req, "Memory of " + item.id().substring(0, 12)), item.id(),
                item.id().substring(0, 12), q, kind, pidText, hits, truncated, error, atDump, at, atNote, pids)));
    }
}
