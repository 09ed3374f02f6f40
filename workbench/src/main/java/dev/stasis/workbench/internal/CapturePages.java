package dev.stasis.workbench.internal;

import dev.stasis.capture.falco.Alert;
import dev.stasis.capture.falco.KnownEvents;
import dev.stasis.capture.falco.RuleEngine;
import dev.stasis.capture.falco.RuleSet;
import dev.stasis.capture.falco.RulesException;
import dev.stasis.capture.falco.RulesLoader;
import dev.stasis.capture.filter.FilterException;
import dev.stasis.capture.filter.ScapEventView;
import dev.stasis.capture.report.EventSource;
import dev.stasis.capture.report.StreamFollower;
import dev.stasis.capture.report.Timeline;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.memory.search.Escapes;
import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.EvidenceException;
import dev.stasis.evidence.EvidenceItem;
import dev.stasis.workbench.internal.Services.Integrity;
import dev.stasis.workbench.internal.capture.CaptureIndexes;
import dev.stasis.workbench.internal.capture.EventDetails;
import dev.stasis.workbench.internal.capture.EventView;
import dev.stasis.workbench.internal.http.Req;
import dev.stasis.workbench.internal.http.Req.HttpError;
import dev.stasis.workbench.internal.view.Views;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A capture's event table: the filter bar (the sysdig/Falco language), columns as {@code -p} names
 * fields, pages read from the view's index, a histogram that narrows the filter to a time range, and
 * the selected event's fields. Everything the page shows is in its URL.
 */
final class CapturePages {
    private static final int PAGE = 50;
    private static final int MAX_CHUNKS = 2000;
    /** How long a page waits for a view still being built before it shows what there is. */
    private static final long WAIT_MS = 10_000;

    private final Services services;

    CapturePages(Services services, Pages pages) {
        this.services = services;
    }

    void handle(Req req) throws IOException {
        if (!req.method().equals("GET")) return;
        EvidenceItem item;
        try {
            item = services.vault().item(req.segment(1));
        } catch (EvidenceException e) {
            throw new HttpError(404, e.getMessage());
        }
        if (services.integrity(item, req.actor()) == Integrity.TAMPERED) throw new HttpError(409, "the item is tampered: its events are not read");
        Path file = services.file(item, req.actor());
        String filter = req.param("f", "").strip();
        String colsText = req.param("cols", "").strip();
        List<String> cols = colsText.isEmpty() ? CaptureIndexes.DEFAULT_COLUMNS
                : Arrays.stream(colsText.split("[,\\s]+")).filter(s -> !s.isEmpty()).map(s -> s.startsWith("%") ? s.substring(1) : s).toList();
        long pageNo = Math.max(0, req.longParam("page", 0));
        Long selected = req.param("sel", null) == null ? null : req.longParam("sel", -1);
        Views.FilterError error = null;
        EventView.Page page = new EventView.Page(List.of(), 0, true, -1, null);
        List<Views.Bar> bars = List.of();
        EventView view = null;
        try {
            view = services.captures().view(item.id(), file, filter, cols);
        } catch (FilterException e) {
            error = filterError(filter, e);
        }
        String base = "/items/" + item.id() + "/events?f=" + Req.enc(filter) + (colsText.isEmpty() ? "" : "&cols=" + Req.enc(colsText));
        if (view != null) {
            page = view.page(pageNo * PAGE, PAGE, WAIT_MS);
            if (view.complete() && view.histogram() != null) bars = bars(view, filter, colsText, item.id());
        }
        EventDetails.Detail detail = null;
        String detailError = null;
        if (selected != null && selected >= 0) {
            try {
                detail = EventDetails.read(file, selected);
                if (detail == null) detailError = "no event " + selected + " in this capture";
            } catch (IOException | RuntimeException e) {
                detailError = e.getMessage();
            }
        }
        services.recordOnce(CustodyAction.READ, item.id(), req.actor(), "workbench: capture events",
                filter.isEmpty() ? "event table" : "event table filtered by " + filter);
        long pages = page.total() == 0 ? 1 : (page.total() + PAGE - 1) / PAGE;
        Map<String, String> links = new LinkedHashMap<>();
        links.put("first", base + "&page=0");
        if (pageNo > 0) links.put("prev", base + "&page=" + (pageNo - 1));
        if ((pageNo + 1) * PAGE < page.total() || !page.complete()) links.put("next", base + "&page=" + (pageNo + 1));
        if (page.complete()) links.put("last", base + "&page=" + Math.max(0, pages - 1));
        req.html(200, Pages.render("events.jte", new Views.EventsPage(Pages.frame(req, "Events of " + item.id().substring(0, 12)), item.id(),
                item.id().substring(0, 12), filter, colsText.isEmpty() ? String.join(" ", CaptureIndexes.DEFAULT_COLUMNS) : colsText, cols, page, pageNo,
                PAGE, pages, error, bars, base + "&page=" + pageNo, selected, detail, detailError, links)));
    }

    /** The bytes one fd of one process read and wrote, in capture order (sysdig's follow-fd, {@code capture follow}). */
    void stream(Req req) throws IOException {
        EvidenceItem item;
        try {
            item = services.vault().item(req.segment(1));
        } catch (EvidenceException e) {
            throw new HttpError(404, e.getMessage());
        }
        if (services.integrity(item, req.actor()) == Integrity.TAMPERED) throw new HttpError(409, "the item is tampered: its events are not read");
        long pid = req.longParam("pid", -1), fd = req.longParam("fd", -1);
        if (pid < 0 || fd < 0) throw new HttpError(400, "a stream is named by pid and fd (both numbers)");
        StreamFollower follower = StreamFollower.byFd(pid, fd);
        try (CaptureReader reader = CaptureReader.open(services.file(item, req.actor()))) {
            reader.forEachVisible(follower::add);
        }
        List<Views.Chunk> chunks = new ArrayList<>();
        long in = 0, out = 0;
        for (StreamFollower.Chunk c : follower.chunks()) {
            if (c.in()) in += c.size(); else out += c.size();
            if (chunks.size() < MAX_CHUNKS) chunks.add(new Views.Chunk(c.num(), c.in() ? "read" : "write", c.size(),
                    Escapes.escape(c.data())));
        }
        services.recordOnce(CustodyAction.READ, item.id(), req.actor(), "workbench: follow fd", "pid " + pid + " fd " + fd);
        req.html(200, Pages.render("stream.jte", new Views.StreamPage(Pages.frame(req, "Stream of pid " + pid + " fd " + fd), item.id(),
                item.id().substring(0, 12), pid, fd, follower.description(), chunks, follower.chunks().size(), in, out)));
    }

    /**
     * Falco rule hits: the configured rules replayed on the capture with capture's rules engine, as
     * {@code capture rules} does; each hit opens its event in the table.
     */
    void rules(Req req) throws IOException {
        EvidenceItem item;
        try {
            item = services.vault().item(req.segment(1));
        } catch (EvidenceException e) {
            throw new HttpError(404, e.getMessage());
        }
        if (services.integrity(item, req.actor()) == Integrity.TAMPERED) throw new HttpError(409, "the item is tampered: its events are not read");
        List<Path> files = services.config().falcoRules();
        Views.Frame frame = Pages.frame(req, "Falco rule hits of " + item.id().substring(0, 12));
        List<String> names = files.stream().map(Path::toString).toList();
        if (files.isEmpty()) {
            req.html(200, Pages.render("rules.jte", new Views.RulesPage(frame, item.id(), item.id().substring(0, 12), names, 0, List.of(), List.of(), 0, 0,
                    Map.of(), List.of(), "no Falco rules are configured: start the workbench with stasis ui --rules FILE...")));
            return;
        }
        RuleSet set;
        try {
            RulesLoader loader = KnownEvents.loader();
            for (Path f : files) loader.add(f);
            set = loader.compile();
        } catch (RulesException e) {
            req.html(200, Pages.render("rules.jte", new Views.RulesPage(frame, item.id(), item.id().substring(0, 12), names, 0, List.of(), List.of(), 0, 0,
                    Map.of(), List.of(), "the rules do not load: " + e.getMessage().lines().findFirst().orElse(""))));
            return;
        }
        RuleEngine engine = new RuleEngine(set); // every priority, first match per event, as capture rules by default
        List<Views.RuleHit> hits = new ArrayList<>();
        long events = 0, alerts = 0;
        try (CaptureReader reader = CaptureReader.open(services.file(item, req.actor()))) {
            ScapEventView view = null;
            for (dev.stasis.capture.state.Event e; (e = reader.next()) != null; ) {
                if (e.isInternal()) continue;
                long ordinal = events++;
                for (Alert a : engine.evaluate(view = ScapEventView.of(view, e))) {
                    alerts++;
                    if (hits.size() < MAX_CHUNKS) hits.add(new Views.RuleHit(a.time(), a.rule(), a.priority(), a.output(), a.eventNum(), ordinal));
                }
            }
        }
        List<String> skipped = set.skipped().stream().map(s -> s.name() + ": " + s.reason()).toList();
        services.recordOnce(CustodyAction.READ, item.id(), req.actor(), "workbench: falco rules", String.join(", ", names));
        req.html(200, Pages.render("rules.jte", new Views.RulesPage(frame, item.id(), item.id().substring(0, 12), names, set.rules().size(), skipped,
                set.warnings(), events, alerts, engine.counts(), hits, null)));
    }

    /**
     * The exec timeline ({@code capture timeline}): processes as a tree with their lifetimes, what each
     * executed, forked, connected to and changed; every entry links to its event in the table.
     */
    void timeline(Req req) throws IOException {
        EvidenceItem item;
        try {
            item = services.vault().item(req.segment(1));
        } catch (EvidenceException e) {
            throw new HttpError(404, e.getMessage());
        }
        if (services.integrity(item, req.actor()) == Integrity.TAMPERED) throw new HttpError(409, "the item is tampered: its events are not read");
        Timeline t = new Timeline();
        List<Timeline.Process> roots;
        try (CaptureReader reader = CaptureReader.open(services.file(item, req.actor()))) {
            EventSource.forEach(reader, null, t::add);
            roots = t.roots(reader.state());
        }
        // the table's event pane is addressed by the event's ordinal among the visible events: a second
        // streaming pass, up to the last event the timeline names, finds the ordinals of its events
        java.util.Set<Long> nums = new java.util.HashSet<>();
        collect(roots, nums);
        Map<Long, Long> ordinals = new java.util.HashMap<>();
        if (!nums.isEmpty()) {
            long lastNum = java.util.Collections.max(nums);
            try (CaptureReader reader = CaptureReader.open(services.file(item, req.actor()))) {
                long ordinal = 0;
                for (dev.stasis.capture.state.Event e; (e = reader.next()) != null && ordinals.size() < nums.size(); ) {
                    if (e.isInternal()) continue;
                    if (nums.contains(e.num())) ordinals.put(e.num(), ordinal);
                    ordinal++;
                    if (e.num() >= lastNum) break;
                }
            }
        }
        List<Views.TimelineRow> rows = new ArrayList<>();
        for (Timeline.Process p : roots) flatten(p, "", true, true, ordinals, rows);
        long execs = rows.stream().flatMap(r -> r.items().stream()).filter(i -> i.kind().equals("exec")).count();
        services.recordOnce(CustodyAction.READ, item.id(), req.actor(), "workbench: exec timeline", "");
        req.html(200, Pages.render("timeline.jte", new Views.TimelinePage(Pages.frame(req, "Timeline of " + item.id().substring(0, 12)), item.id(),
                item.id().substring(0, 12), rows, execs)));
    }

    /** The tree in display order, drawn with the same branches as {@code capture timeline}'s text. */
    private static void collect(List<Timeline.Process> ps, java.util.Set<Long> nums) {
        for (Timeline.Process p : ps) {
            for (Timeline.Item i : p.items()) nums.add(i.num());
            collect(p.children(), nums);
        }
    }

    private static void flatten(Timeline.Process p, String indent, boolean last, boolean root, Map<Long, Long> ordinals, List<Views.TimelineRow> rows) {
        String life = (p.startTs() == 0 ? "(before capture)" : time(p.startTs())) + (p.endTs() == 0 ? "" : " .. " + time(p.endTs()));
        List<Views.TimelineItem> items = new ArrayList<>();
        for (Timeline.Item i : p.items()) items.add(new Views.TimelineItem(time(i.ts()), i.num(), ordinals.getOrDefault(i.num(), -1L), i.kind(), i.detail()));
        rows.add(new Views.TimelineRow(indent + (root ? "" : last ? "└─ " : "├─ "), p.pid(), p.comm(), p.cmdline(), p.containerId(), life, items));
        String childIndent = indent + (root ? "" : last ? "   " : "│  ");
        for (int k = 0; k < p.children().size(); k++) flatten(p.children().get(k), childIndent, k == p.children().size() - 1, false, ordinals, rows);
    }

    private static String time(long ts) {
        return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSS").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.ofEpochSecond(0, ts));
    }

    static Views.FilterError filterError(String filter, FilterException e) {
        int col = e.column();
        if (col <= 0 || col > filter.length() + 1) return new Views.FilterError(e.getMessage(), filter, "", "", col);
        int at = col - 1;
        int end = Math.min(filter.length(), at + 1);
        return new Views.FilterError(e.getMessage(), filter.substring(0, at), at < filter.length() ? filter.substring(at, end) : " ",
                filter.substring(end), col);
    }

    private static List<Views.Bar> bars(EventView view, String filter, String colsText, String id) {
        long[] h = view.histogram();
        long max = Arrays.stream(h).max().orElse(0);
        long first = view.firstTs(), span = Math.max(1, view.lastTs() - first + 1);
        List<Views.Bar> out = new ArrayList<>();
        for (int i = 0; i < h.length; i++) {
            long from = first + span * i / h.length, to = first + span * (i + 1) / h.length;
            String narrowed = (filter.isEmpty() ? "" : "(" + filter + ") and ") + "evt.rawtime >= " + from + " and evt.rawtime < " + to;
            String href = "/items/" + id + "/events?f=" + Req.enc(narrowed) + (colsText.isEmpty() ? "" : "&cols=" + Req.enc(colsText));
            int pct = max == 0 ? 0 : (int) Math.max(h[i] == 0 ? 0 : 2, h[i] * 100 / max);
            out.add(new Views.Bar(pct, h[i], h[i] + " event(s) from " + from + " to " + to + " ns", href));
        }
        return out;
    }
}
