package dev.stasis.workbench.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.stasis.evidence.Actor;
import dev.stasis.workbench.WorkbenchConfig;
import dev.stasis.workbench.WorkbenchException;
import dev.stasis.workbench.internal.Pages;
import dev.stasis.workbench.internal.Services;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The JDK HTTP server (as {@code serve} uses) with what every request goes through before a page:
 * security headers, the Host check on loopback (a DNS-rebinding page must not reach the UI),
 * the bearer token or the session it opened, the CSRF check of every POST.
 *
 * <p>CSRF: a random token in a {@code SameSite=Strict; HttpOnly} cookie, repeated in a hidden field of
 * every form (double submit); a POST whose field differs, or whose Origin is another site, is refused.
 */
public final class WebServer implements Closeable {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String CSRF_COOKIE = "stasis_csrf";
    private static final String SESSION_COOKIE = "stasis_session";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final WorkbenchConfig config;
    private final Pages pages;
    private final Set<String> allowedHosts;
    private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
    /** Served over TLS: cookies are then marked Secure, so a browser never sends them in clear. */
    private final boolean secure;

    private WebServer(WorkbenchConfig config, SSLContext tls, Services services) throws IOException {
        this.config = config;
        this.pages = new Pages(services);
        this.secure = tls != null;
        try {
            if (tls != null) {
                HttpsServer s = HttpsServer.create(config.listen(), 64);
                s.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = s;
            } else {
                server = HttpServer.create(config.listen(), 64);
            }
        } catch (BindException e) {
            throw new WorkbenchException("cannot listen on " + config.listen().getHostString() + ":" + config.listen().getPort() + ": " + e.getMessage());
        }
        int port = server.getAddress().getPort();
        this.allowedHosts = new java.util.HashSet<>(java.util.List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port,
                hostLiteral(server.getAddress().getAddress()) + ":" + port));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @param tls the server's TLS context, or null for plain HTTP */
    public static WebServer start(WorkbenchConfig config, SSLContext tls, Services services) {
        try {
            return new WebServer(config, tls, services);
        } catch (IOException e) {
            throw new WorkbenchException("cannot start the workbench: " + e.getMessage());
        }
    }

    public URI uri() {
        return URI.create((secure ? "https://" : "http://") + hostLiteral(server.getAddress().getAddress()) + ":" + server.getAddress().getPort() + "/");
    }

    private static String hostLiteral(InetAddress a) {
        String h = a.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            var h = ex.getResponseHeaders();
            h.set("Content-Security-Policy", CSP);
            h.set("X-Content-Type-Options", "nosniff");
            h.set("X-Frame-Options", "DENY");
            h.set("Referrer-Policy", "no-referrer");
            h.set("Cache-Control", "no-store");
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("POST") && !method.equals("HEAD")) {
                plain(ex, 405, "method not allowed");
                return;
            }
            String host = ex.getRequestHeaders().getFirst("Host");
            if (config.token() == null && (host == null || !allowedHosts.contains(host.toLowerCase(java.util.Locale.ROOT)))) {
                plain(ex, 421, "this workbench answers only to its loopback address, not to Host: " + host);
                return;
            }
            Map<String, String> cookies = Req.cookies(ex);
            String csrf = cookies.get(CSRF_COOKIE);
            if (csrf == null || csrf.length() != 43) {
                csrf = token();
                ex.getResponseHeaders().add("Set-Cookie", CSRF_COOKIE + "=" + csrf + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
            }
            String path = ex.getRequestURI().getRawPath();
            boolean open = path.startsWith("/static/") || path.equals("/login");
            Actor actor = config.localActor();
            if (config.token() != null) {
                boolean ok = bearer(ex.getRequestHeaders().getFirst("Authorization")) || sessions.containsKey(cookies.getOrDefault(SESSION_COOKIE, ""));
                if (!ok && !open) {
                    if (method.equals("GET") && !path.startsWith("/api/")) {
                        ex.getResponseHeaders().set("Location", "/login");
                        ex.sendResponseHeaders(303, -1);
                    } else {
                        plain(ex, 401, "missing or wrong bearer token");
                    }
                    return;
                }
                actor = new Actor(config.tokenSubject(), remote(ex), "stasis-ui");
            }
            Req req = new Req(ex, actor, csrf);
            if (method.equals("POST")) {
                String origin = ex.getRequestHeaders().getFirst("Origin");
                if (origin != null && !origin.equals("null") && (host == null || !origin.equalsIgnoreCase("http://" + host) && !origin.equalsIgnoreCase("https://" + host))) {
                    plain(ex, 403, "cross-site request refused (Origin " + origin + ")");
                    return;
                }
                req.readForm();
                String given = req.form("csrf");
                if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8))) {
                    plain(ex, 403, "missing or wrong CSRF token: reload the page and try again");
                    return;
                }
            }
            if (path.equals("/login")) {
                login(req, ex);
                return;
            }
            try {
                pages.handle(req);
            } catch (Req.HttpError e) {
                if (!req.responded()) req.html(e.status(), pages.error(req, e.status(), e.getMessage()));
            } catch (RuntimeException e) {
                if (!req.responded()) req.html(500, pages.error(req, 500, oneLine(e)));
            }
            if (!req.responded()) req.html(404, pages.error(req, 404, "no such page: " + path));
        } catch (Req.HttpError e) {
            plain(ex, e.status(), e.getMessage());
        } catch (IOException e) {
            // the browser went away: nothing to answer
        }
    }

    private void login(Req req, HttpExchange ex) throws IOException {
        if (req.method().equals("POST")) {
            if (config.token() != null && tokenMatches(req.form("token"))) {
                String session = token();
                sessions.put(session, Boolean.TRUE);
                req.setCookie(SESSION_COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
                req.redirect("/cases");
                return;
            }
            req.html(403, pages.login(req, config.token() == null ? "no token is needed on loopback" : "wrong token"));
            return;
        }
        req.html(200, pages.login(req, null));
    }

    private boolean bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && tokenMatches(header.substring(7));
    }

    private boolean tokenMatches(String given) {
        if (given == null) return false;
        String t = config.token().get();
        return t != null && MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8), t.strip().getBytes(StandardCharsets.UTF_8));
    }

    private static String remote(HttpExchange ex) {
        return ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void plain(HttpExchange ex, int status, String message) throws IOException {
        byte[] b = (message + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
