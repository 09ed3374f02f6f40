package dev.stasis.workbench.internal;

import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.CustodyRecord;
import dev.stasis.evidence.EvidenceException;
import dev.stasis.evidence.cases.CaseDetail;
import dev.stasis.evidence.cases.CaseException;
import dev.stasis.evidence.cases.CaseSummary;
import dev.stasis.workbench.internal.http.Req;
import dev.stasis.workbench.internal.http.Req.HttpError;
import dev.stasis.workbench.internal.view.Views;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The pages, by path: cases, evidence items (with memory and captures), the response journal, static files. */
public final class Pages {
    /** Templates compiled at build time (jte-maven-plugin): no compiler at run time. */
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader(),
            "dev.stasis.workbench.internal.templates");
    private static final Set<String> STATIC = Set.of("app.css", "app.js");
    private static final Pattern CASE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private final Services services;
    private final ItemPages items;
    private final CapturePages captures;

    public Pages(Services services) {
        this.services = services;
        this.items = new ItemPages(services, this);
        this.captures = new CapturePages(services, this);
    }

    static String render(String template, Object model) {
        StringOutput out = new StringOutput();
        TEMPLATES.render(template, Map.of("m", model), out);
        return out.toString();
    }

    static Views.Frame frame(Req req, String title) {
        return new Views.Frame(title, req.actor().who(), req.csrf());
    }

    public String error(Req req, int status, String message) {
        return render("error.jte", new Views.ErrorPage(frame(req, "Error " + status), status, message));
    }

    public String login(Req req, String message) {
        return render("login.jte", new Views.LoginPage(frame(req, "Sign in"), message));
    }

    public void handle(Req req) throws IOException {
        String first = req.segment(0);
        boolean get = req.method().equals("GET") || req.method().equals("HEAD");
        if (first == null) {
            req.redirect("/cases");
            return;
        }
        switch (first) {
            case "static" -> staticFile(req);
            case "cases" -> cases(req, get);
            case "items" -> {
                if (req.segments().size() >= 3 && req.segment(2).equals("events")) captures.handle(req);
                else if (req.segments().size() >= 3 && req.segment(2).equals("stream") && get) captures.stream(req);
                else if (req.segments().size() == 3 && req.segment(2).equals("timeline") && get) captures.timeline(req);
                else if (req.segments().size() == 3 && req.segment(2).equals("rules") && get) captures.rules(req);
                else items.handle(req, get);
            }
            case "response" -> {
                if (get) response(req);
            }
            default -> { }
        }
    }

    private void staticFile(Req req) throws IOException {
        String name = req.segment(1);
        if (name == null || !STATIC.contains(name) || req.segments().size() != 2) throw new HttpError(404, "no such file");
        try (InputStream in = Pages.class.getResourceAsStream("/dev/stasis/workbench/static/" + name)) {
            if (in == null) throw new HttpError(404, "no such file");
            req.send(200, name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", in.readAllBytes());
        }
    }

    private void cases(Req req, boolean get) throws IOException {
        String name = req.segment(1);
        if (name == null) {
            if (get) {
                String q = req.param("q", "").strip();
                List<CaseSummary> all = services.cases().list().stream().filter(c -> matches(c, q)).toList();
                req.html(200, render("cases.jte", new Views.CasesPage(frame(req, "Cases"), q, all)));
            } else {
                String n = req.form("name") == null ? "" : req.form("name").strip();
                String title = req.form("title") == null ? "" : req.form("title").strip();
                if (!CASE_NAME.matcher(n).matches()) throw new HttpError(400, "a case name is letters, digits, '.', '_' or '-' (at most 64), not '" + n + "'");
                if (title.isEmpty()) throw new HttpError(400, "a case needs a title");
                try {
                    services.cases().create(n, title, req.actor().who());
                } catch (CaseException e) {
                    throw new HttpError(409, e.getMessage());
                }
                services.audit(req.actor(), "create case", n, title);
                req.redirect("/cases/" + Req.enc(n));
            }
            return;
        }
        CaseDetail d = show(name);
        String action = req.segment(2);
        if (action == null && get) {
            req.html(200, render("case.jte", casePage(req, d)));
            return;
        }
        if (get || action == null) return;
        switch (action) {
            case "notes" -> {
                String body = req.form("body") == null ? "" : req.form("body").strip();
                if (body.isEmpty()) throw new HttpError(400, "an empty note");
                services.cases().note(d.name(), body, req.actor().who());
                services.audit(req.actor(), "note", d.name(), body);
            }
            case "tags" -> {
                String tag = req.form("tag") == null ? "" : req.form("tag").strip();
                if (!TAG.matcher(tag).matches()) throw new HttpError(400, "a tag is letters, digits and . _ : - (at most 64), not '" + tag + "'");
                services.cases().tag(d.name(), tag);
                services.audit(req.actor(), "tag", d.name(), tag);
            }
            case "items" -> {
                String id;
                try {
                    id = services.vault().resolve(req.form("item") == null ? "" : req.form("item").strip());
                } catch (EvidenceException e) {
                    throw new HttpError(400, e.getMessage());
                }
                services.cases().addEvidence(d.name(), id, req.actor().who());
                services.audit(req.actor(), "add item", d.name(), id);
            }
            default -> throw new HttpError(404, "no such action: " + action);
        }
        req.redirect("/cases/" + Req.enc(d.name()));
    }

    private CaseDetail show(String name) {
        try {
            return services.cases().show(name);
        } catch (CaseException e) {
            throw new HttpError(404, e.getMessage());
        }
    }

    private static boolean matches(CaseSummary c, String q) {
        if (q.isEmpty()) return true;
        String l = q.toLowerCase(Locale.ROOT);
        return c.name().toLowerCase(Locale.ROOT).contains(l) || c.title().toLowerCase(Locale.ROOT).contains(l)
                || c.tags().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).contains(l));
    }

    private Views.CasePage casePage(Req req, CaseDetail d) {
        List<Views.ItemRow> rows = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<CustodyRecord> all = services.vault().custody().records();
        for (CaseDetail.EvidenceLink link : d.evidence()) {
            ids.add(link.itemId());
            rows.add(items.row(link.itemId(), all, req));
        }
        List<CustodyRecord> custody = all.stream().filter(r -> r.item() != null && ids.contains(r.item())).toList().reversed();
        List<CustodyRecord> responses = custody.stream().filter(r -> r.action() == CustodyAction.RESPOND || r.action() == CustodyAction.ACQUIRE).toList();
        List<String> alerts = new ArrayList<>();
        for (CaseDetail.EvidenceLink link : d.evidence()) {
            try {
                for (var p : services.vault().item(link.itemId()).manifest().provenance()) {
                    if (p.source() != null && p.source().alert() != null && !alerts.contains(p.source().alert())) alerts.add(p.source().alert());
                }
            } catch (EvidenceException ignored) {
                // an item the case names but the vault lacks: its row says so
            }
        }
        return new Views.CasePage(frame(req, "Case " + d.name()), d, rows, custody, alerts, responses);
    }

    private void response(Req req) throws IOException {
        List<CustodyRecord> records = services.vault().custody().records().stream()
                .filter(r -> r.action() == CustodyAction.RESPOND || r.action() == CustodyAction.ACQUIRE || "stasis-serve".equals(r.via()))
                .toList().reversed();
        // the journal itself is the running engine's (opening it compacts it): the engine's custody records are what is read here
        req.html(200, render("response.jte", new Views.ResponsePage(frame(req, "Response"), records, List.of(),
                "alerts, decisions and actions as the response engine recorded them in the custody log")));
    }
}
