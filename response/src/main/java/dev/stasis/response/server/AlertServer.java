package dev.stasis.response.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.stasis.response.alert.Alert;
import dev.stasis.response.alert.AlertException;
import dev.stasis.response.alert.AlertParser;
import dev.stasis.response.engine.JsonLog;
import dev.stasis.response.engine.JsonText;
import dev.stasis.response.engine.Receipt;
import dev.stasis.response.engine.ResponseEngine;
import dev.stasis.response.journal.JournalException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The alert endpoint: {@code POST /} or {@code POST /alerts} with a Falco,
 * Falcosidekick or Argo Events body. Answers:
 * 202 {@code {"id":..,"outcome":..}} once the alert is journaled;
 * 400 with the reason; 401 missing / 403 wrong credentials; 405; 413 body too
 * large; 429 over the rate limit; 503 when the journal cannot be written.
 * Also {@code GET /healthz}, {@code /readyz} and {@code /metrics} (Prometheus).
 */
public final class AlertServer implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server writes headers and body separately; with Nagle on, each
        // small answer waits out the client's delayed ACK (~40 ms). Must be set
        // before the server classes read it.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        // A client has 20 s to send a whole request (an alert is a few kilobytes).
        // Without a limit the JDK server waits forever for the rest of a request whose first bytes
        // arrived: slowloris clients that send half a header hold a descriptor each until the
        // process runs out. With one, a request (headers and body) not received within it is closed
        // (checked every second); a connection that sends nothing at all is closed after the idle
        // interval (30 s by default) or this, whichever is less.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) System.setProperty("sun.net.httpserver.maxReqTime", "20");
    }

    /**
     * Bytes of request bodies read before their sender is authenticated (HMAC
     * needs the body), across all requests: the memory a flood of bodies with
     * junk signatures can take. A request reserves its declared length (or
     * the body limit) and waits briefly for it, then gets 503. Bodies of an
     * alert's size draw on a budget of their own, so that a flood of large
     * junk bodies does not hold up a signed alert sent meanwhile.
     */
    static final int UNAUTHENTICATED_BUDGET = 24 << 20;
    static final int SMALL_BODY = 64 << 10;
    static final int UNAUTHENTICATED_SMALL_BUDGET = 8 << 20;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ResponseEngine engine;
    private final Authenticator auth;
    private final long maxBody;
    private final RateLimiter limiter;
    private final JsonLog log;
    private volatile boolean ready;
    private final java.util.concurrent.Semaphore unauthenticated;
    private final java.util.concurrent.Semaphore unauthenticatedSmall = new java.util.concurrent.Semaphore(UNAUTHENTICATED_SMALL_BUDGET);

    /**
     * @param tls          server TLS context, or null for plain HTTP
     * @param requireClientCert ask for and require a client certificate (mTLS)
     */
    public AlertServer(InetSocketAddress listen, SSLContext tls, boolean requireClientCert, ResponseEngine engine, Authenticator auth,
                       long maxBody, int ratePerSecond, JsonLog log) throws IOException {
        this.engine = engine;
        this.auth = auth;
        this.maxBody = maxBody;
        // never smaller than one body at the limit, or such a body could never be read
        this.unauthenticated = new java.util.concurrent.Semaphore((int) Math.max(UNAUTHENTICATED_BUDGET, Math.min(Integer.MAX_VALUE - 8, maxBody + 1)));
        this.limiter = ratePerSecond > 0 ? new RateLimiter(ratePerSecond) : null;
        this.log = log;
        if (tls != null) {
            HttpsServer s = HttpsServer.create(listen, 1024);
            s.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = tls.getDefaultSSLParameters();
                    p.setNeedClientAuth(requireClientCert);
                    params.setSSLParameters(p);
                }
            });
            server = s;
        } else {
            server = HttpServer.create(listen, 1024);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
        ready = true;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        // closed in finally, not by try-with-resources: that would close the exchange before the
        // catch blocks run, and a 500 would go out as an empty reply
        try {
            serve(ex);
        } catch (IOException e) {
            // the client went away; nothing was acknowledged
        } catch (RuntimeException e) {
            log.error("request.error", "error", e.toString());
            if (ex.getResponseCode() == -1) {
                try {
                    error(ex, 500, "internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                } catch (IOException | RuntimeException ignored) {
                    // client gone
                }
            }
        } finally {
            ex.close();
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        long t0 = System.nanoTime();
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        switch (path) {
            case "/healthz" -> {
                send(ex, 200, "text/plain", "ok\n");
                return;
            }
            case "/readyz" -> {
                if (ready) send(ex, 200, "text/plain", "ready\n");
                else send(ex, 503, "text/plain", "not ready\n");
                return;
            }
            case "/metrics" -> {
                send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", engine.metrics().scrape());
                return;
            }
            case "/", "/alerts" -> { }
            default -> {
                error(ex, 404, "no such endpoint " + path + " (POST alerts to / or /alerts)");
                return;
            }
        }
        if (!method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            error(ex, 405, "method " + method + " not allowed: POST the alert");
            return;
        }
        Authenticator.Refusal r;
        try {
            r = auth.beforeBody(ex);
        } catch (dev.stasis.response.config.ConfigException e) {
            unavailable(ex, "cannot check credentials: " + e.getMessage());
            return;
        }
        if (r != null) {
            refuse(ex, r);
            return;
        }
        long declared = -1;
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl != null) {
            declared = parsedLength(cl);
            if (declared == Long.MAX_VALUE) {
                error(ex, 400, "bad Content-Length");
                return;
            }
            if (declared > maxBody) {
                tooLarge(ex);
                return;
            }
        }
        byte[] body = null;
        if (auth.needsBody()) {
            // authentication needs the body: read what was declared (never more than the limit),
            // within the budget shared by every request not yet authenticated
            int reserve = (int) (declared >= 0 ? declared : maxBody) + 1;
            java.util.concurrent.Semaphore budget = reserve <= SMALL_BODY ? unauthenticatedSmall : unauthenticated;
            boolean got;
            try {
                got = budget.tryAcquire(reserve, 2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!got) {
                engine.metrics().rejected("busy");
                ex.getResponseHeaders().set("Retry-After", "1");
                ex.getResponseHeaders().set("Connection", "close");
                error(ex, 503, "too many unauthenticated request bodies being read; try again");
                return;
            }
            try {
                body = readLimited(ex.getRequestBody(), reserve - 1);
                if (body == null) {
                    tooLarge(ex);
                    return;
                }
                r = auth.afterBody(ex, body);
            } catch (dev.stasis.response.config.ConfigException e) {
                unavailable(ex, "cannot check credentials: " + e.getMessage());
                return;
            } finally {
                budget.release(reserve);
            }
            if (r != null) {
                refuse(ex, r);
                return;
            }
        }
        // only authenticated senders reach the rate limit: junk must not use up its tokens
        if (limiter != null && !limiter.tryAcquire()) {
            engine.metrics().rejected("rate-limited");
            ex.getResponseHeaders().set("Retry-After", "1");
            error(ex, 429, "too many alerts: over the rate limit");
            return;
        }
        if (body == null) {
            body = readLimited(ex.getRequestBody(), maxBody);
            if (body == null) {
                tooLarge(ex);
                return;
            }
        }
        Alert alert;
        try {
            alert = AlertParser.parse(body);
        } catch (AlertException e) {
            engine.metrics().rejected("bad-request");
            error(ex, 400, e.getMessage());
            return;
        }
        engine.metrics().received(alert.envelope().name().toLowerCase(java.util.Locale.ROOT));
        Receipt receipt;
        try {
            receipt = engine.accept(alert, t0);
        } catch (JournalException | IllegalStateException e) {
            engine.metrics().rejected("unavailable");
            log.error("alert.not-journaled", "error", e.getMessage());
            ex.getResponseHeaders().set("Retry-After", "5");
            error(ex, 503, "cannot accept the alert now: " + e.getMessage());
            return;
        }
        send(ex, 202, "application/json", acceptedBody(receipt));
    }

    private void unavailable(HttpExchange ex, String why) throws IOException {
        engine.metrics().rejected("unavailable");
        log.error("request.unavailable", "error", why);
        ex.getResponseHeaders().set("Retry-After", "5");
        error(ex, 503, why);
    }

    /**
     * {@code {"id":..,"outcome":..,"rule":..}} written directly: it is sent for
     * every alert, and a tree plus a serializer per answer is a cost every
     * request pays under a storm.
     */
    static String acceptedBody(Receipt receipt) {
        StringBuilder b = new StringBuilder(96).append("{\"id\":");
        JsonText.quote(b, receipt.id()).append(",\"outcome\":");
        JsonText.quote(b, receipt.decision().outcome());
        if (receipt.decision().rule() != null) JsonText.quote(b.append(",\"rule\":"), receipt.decision().rule().name());
        return b.append('}').toString();
    }

    /**
     * The body, or null when it is larger than {@code limit} (read no further
     * than limit + 1 bytes). The buffer grows with what arrives, so a sender
     * pays in bytes sent for the memory it takes.
     */
    private static byte[] readLimited(InputStream in, long limit) throws IOException {
        byte[] buf = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        return buf.length > limit ? null : buf;
    }

    private void tooLarge(HttpExchange ex) throws IOException {
        engine.metrics().rejected("too-large");
        // A server that closes with request bytes unread makes the kernel reset the connection,
        // and the sender may never read the 413 (RFC 9112, 9.6): what follows is read and thrown
        // away, up to a bound (never kept in memory); past it the connection is simply closed.
        long drain = Math.max(8L << 20, 4 * maxBody);
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl == null || parsedLength(cl) <= drain) discard(ex.getRequestBody(), drain);
        ex.getResponseHeaders().set("Connection", "close");
        error(ex, 413, "body larger than " + maxBody + " bytes");
    }

    private static void discard(InputStream in, long limit) throws IOException {
        byte[] sink = new byte[16384];
        for (long left = limit; left > 0; ) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) return;
            left -= n;
        }
    }

    private static long parsedLength(String contentLength) {
        try {
            return Long.parseLong(contentLength.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private void refuse(HttpExchange ex, Authenticator.Refusal r) throws IOException {
        engine.metrics().rejected(switch (r.status()) {
            case 401 -> "unauthenticated";
            case 409 -> "replayed";
            case 503 -> "unavailable";
            default -> "forbidden";
        });
        if (r.status() == 401) ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"stasis\"");
        log.warn("request.refused", "status", r.status(), "reason", r.reason(), "from", String.valueOf(ex.getRemoteAddress()));
        // a refused request's body is never read: end the connection rather than drain it into the next request
        ex.getResponseHeaders().set("Connection", "close");
        error(ex, r.status(), r.reason());
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        send(ex, status, "application/json", JSON.createObjectNode().put("error", message).toString());
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        ready = false;
        server.stop(1);
        executor.shutdownNow();
    }
}
