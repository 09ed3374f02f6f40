package dev.stasis.response.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

/**
 * Checks who sent a request. {@link #beforeBody} runs before the body is read
 * (so an anonymous caller cannot make the server read a megabyte);
 * {@link #afterBody} checks what needs the body (the HMAC). Comparisons are
 * constant-time.
 */
public sealed interface Authenticator {
    /** null when allowed; otherwise the refusal. */
    Refusal beforeBody(HttpExchange ex);

    /** Whether {@link #afterBody} needs the body (then it is read, within a budget, before the rate limit). */
    default boolean needsBody() {
        return false;
    }

    default Refusal afterBody(HttpExchange ex, byte[] body) {
        return null;
    }

    /** 401 when credentials are missing or stale, 403 when they are wrong, 409 when replayed. */
    record Refusal(int status, String reason) {}

    /** Nobody is checked: only when the configuration says {@code mode: none}. */
    record None() implements Authenticator {
        public Refusal beforeBody(HttpExchange ex) {
            return null;
        }
    }

    /** {@code Authorization: Bearer <token>}. */
    record Bearer(Supplier<String> token) implements Authenticator {
        public Refusal beforeBody(HttpExchange ex) {
            String h = ex.getRequestHeaders().getFirst("Authorization");
            if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return new Refusal(401, "missing bearer token (Authorization: Bearer ...)");
            if (!equal(h.substring(7).strip(), token.get())) return new Refusal(403, "wrong bearer token");
            return null;
        }
    }

    /**
     * HMAC-SHA256 over a timestamp and the body, so that a captured request
     * cannot be sent again: the sender puts the Unix time in seconds in
     * {@code timestampHeader} (default {@code X-Stasis-Timestamp}) and
     * {@code hex(HMAC-SHA256(secret, timestamp + "." + body))} in {@code header}
     * (default {@code X-Stasis-Signature}), optionally prefixed {@code sha256=}.
     * A timestamp further than {@code maxSkew} from this clock is refused
     * (stale), and a signature already accepted within that window is refused
     * (replayed): the same signed alert is acted on at most once.
     *
     * <p>Everything that can be checked without the body (headers present, a
     * timestamp within the window, a signature of the right form) is checked
     * before the body is read, so a caller without the secret cannot make the
     * server buffer anything it did not declare; the MAC itself needs the body.
     */
    record Hmac(Supplier<String> secret, String header, String timestampHeader, java.time.Duration maxSkew, Replays seen) implements Authenticator {
        public static final String DEFAULT_TIMESTAMP_HEADER = "X-Stasis-Timestamp";
        public static final java.time.Duration DEFAULT_MAX_SKEW = java.time.Duration.ofMinutes(5);

        public Hmac(Supplier<String> secret, String header) {
            this(secret, header, DEFAULT_TIMESTAMP_HEADER, DEFAULT_MAX_SKEW, new Replays(Replays.DEFAULT_MAX));
        }

        public Refusal beforeBody(HttpExchange ex) {
            String sig = ex.getRequestHeaders().getFirst(header);
            String ts = ex.getRequestHeaders().getFirst(timestampHeader);
            if (sig == null) return new Refusal(401, "missing signature header " + header);
            if (ts == null) return new Refusal(401, "missing timestamp header " + timestampHeader + " (Unix seconds, signed with the body)");
            long t;
            try {
                t = Long.parseLong(ts.strip());
            } catch (NumberFormatException e) {
                return new Refusal(401, timestampHeader + " is not Unix seconds");
            }
            long skew = Math.abs(System.currentTimeMillis() / 1000 - t);
            if (skew > maxSkew.toSeconds()) return new Refusal(401, "stale request: " + timestampHeader + " is " + skew + " s from this server's clock (at most "
                    + maxSkew.toSeconds() + " s)");
            if (hex(sig) == null) return new Refusal(403, "malformed signature in " + header + " (64 hex digits expected)");
            return null;
        }

        @Override
        public boolean needsBody() {
            return true;
        }

        @Override
        public Refusal afterBody(HttpExchange ex, byte[] body) {
            String given = hex(ex.getRequestHeaders().getFirst(header));
            String ts = ex.getRequestHeaders().getFirst(timestampHeader).strip();
            if (!equal(given, sign(secret.get(), ts, body))) return new Refusal(403, "wrong signature in " + header);
            // past its timestamp plus the skew, a copy is refused as stale: no need to remember it longer
            // only a correct signature is remembered: junk cannot fill the cache
            try {
                if (!seen.firstTime(given, Long.parseLong(ts) * 1000 + maxSkew.toMillis() + 1000))
                    return new Refusal(409, "replayed request: this signature was already accepted");
            } catch (IllegalStateException e) {
                return new Refusal(503, e.getMessage());
            }
            return null;
        }

        /** The signature as lower-case hex without its optional {@code sha256=} prefix, or null when it is not 64 hex digits. */
        private static String hex(String given) {
            if (given == null) return null;
            String g = given.strip();
            if (g.regionMatches(true, 0, "sha256=", 0, 7)) g = g.substring(7);
            if (g.length() != 64) return null;
            for (int i = 0; i < 64; i++) if (Character.digit(g.charAt(i), 16) < 0) return null;
            return g.toLowerCase(java.util.Locale.ROOT);
        }

        /** {@code hex(HMAC-SHA256(secret, timestamp + "." + body))}. */
        public static String sign(String secret, String timestamp, byte[] body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
                return HexFormat.of().formatHex(mac.doFinal(body));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Signatures accepted recently, each kept until no request carrying it
     * could still pass the timestamp check. Bounded: when full of live
     * entries, new requests are refused rather than old ones forgotten (which
     * would let those be replayed).
     */
    final class Replays {
        /** About 40 MB at most; a sender at 300 alerts/s stays below it with the default 5-minute skew. */
        public static final int DEFAULT_MAX = 200_000;
        private final int max;
        /** In arrival order, which is about expiry order: pruning stops at the first live one (a few stay a little longer). */
        private final java.util.LinkedHashMap<String, Long> until = new java.util.LinkedHashMap<>();

        public Replays(int max) {
            this.max = max;
        }

        synchronized boolean firstTime(String signature, long keepUntil) {
            long now = System.currentTimeMillis();
            for (var it = until.values().iterator(); it.hasNext(); ) {
                if (it.next() > now) break;
                it.remove();
            }
            if (until.containsKey(signature)) return false;
            if (until.size() >= max) throw new IllegalStateException("replay cache full (" + max + " signatures within the window)");
            until.put(signature, keepUntil);
            return true;
        }
    }

    /**
     * Mutual TLS: the TLS layer already refused clients without a certificate
     * signed by the configured CA; here the subject may be restricted to
     * {@code allowed} common names (empty: any client of that CA).
     */
    record Mtls(List<String> allowed) implements Authenticator {
        public Refusal beforeBody(HttpExchange ex) {
            if (!(ex instanceof HttpsExchange https)) return new Refusal(401, "mTLS required");
            try {
                var certs = https.getSSLSession().getPeerCertificates();
                if (certs.length == 0) return new Refusal(401, "no client certificate");
                if (allowed.isEmpty()) return null;
                String cn = commonName(((java.security.cert.X509Certificate) certs[0]).getSubjectX500Principal());
                return allowed.contains(cn) ? null : new Refusal(403, "client certificate '" + cn + "' is not allowed");
            } catch (SSLPeerUnverifiedException e) {
                return new Refusal(401, "no verified client certificate");
            }
        }

        static String commonName(X500Principal p) {
            for (String part : p.getName(X500Principal.RFC2253).split(",")) if (part.startsWith("CN=")) return part.substring(3);
            return p.getName();
        }
    }

    private static boolean equal(String a, String b) {
        if (a == null || b == null) return false;
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
