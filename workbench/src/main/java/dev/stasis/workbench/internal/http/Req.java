package dev.stasis.workbench.internal.http;

import com.sun.net.httpserver.HttpExchange;
import dev.stasis.evidence.Actor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One request as the pages see it: path segments, query and form parameters, who is asking, the CSRF token for forms. */
public final class Req {
    /** Form bodies above this are refused: the UI's forms carry a note or a filter at most. */
    static final int MAX_FORM = 64 * 1024;

    private final HttpExchange ex;
    private final List<String> segments;
    private final Map<String, String> query;
    private Map<String, String> form;
    private final Actor actor;
    private final String csrf;
    private boolean responded;
    private final long started = System.nanoTime();

    Req(HttpExchange ex, Actor actor, String csrf) {
        this.ex = ex;
        String path = ex.getRequestURI().getRawPath();
        this.segments = java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
        this.query = parse(ex.getRequestURI().getRawQuery());
        this.actor = actor;
        this.csrf = csrf;
    }

    public String method() {
        return ex.getRequestMethod();
    }

    public List<String> segments() {
        return segments;
    }

    public String segment(int i) {
        return i < segments.size() ? segments.get(i) : null;
    }

    /** A query parameter, or {@code dflt} when absent. */
    public String param(String name, String dflt) {
        String v = query.get(name);
        return v == null ? dflt : v;
    }

    public long longParam(String name, long dflt) {
        try {
            return Long.parseLong(param(name, String.valueOf(dflt)).strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** A field of the POSTed form (already read and CSRF-checked by the server). */
    public String form(String name) {
        return form == null ? null : form.get(name);
    }

    void readForm() throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_FORM + 1);
            if (b.length > MAX_FORM) throw new HttpError(413, "form too large");
            form = parse(new String(b, StandardCharsets.US_ASCII));
        }
    }

    public Actor actor() {
        return actor;
    }

    public String csrf() {
        return csrf;
    }

    public String header(String name) {
        return ex.getRequestHeaders().getFirst(name);
    }

    /** Sets a response header. */
    public void header(String name, String value) {
        ex.getResponseHeaders().set(name, value);
    }

    static Map<String, String> parse(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    static Map<String, String> cookies(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        for (String h : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : h.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0) out.putIfAbsent(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return out;
    }

    public static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    boolean responded() {
        return responded;
    }

    public void html(int status, String body) throws IOException {
        send(status, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public void send(int status, String type, byte[] body) throws IOException {
        responded = true;
        ex.getResponseHeaders().set("Content-Type", type);
        // the server's own time for this request, for the benchmark and the browser's developer tools
        ex.getResponseHeaders().set("Server-Timing", String.format(java.util.Locale.ROOT, "app;dur=%.1f", (System.nanoTime() - started) / 1e6));
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) out.write(body);
        }
    }

    /** 303 to a path of this server (POST-redirect-GET). */
    public void redirect(String location) throws IOException {
        responded = true;
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(303, -1);
        ex.close();
    }

    void setCookie(String value) {
        ex.getResponseHeaders().add("Set-Cookie", value);
    }

    /** A refusal or a missing thing, shown as a page with this status. */
    public static final class HttpError extends RuntimeException {
        private final int status;

        public HttpError(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
