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

    default Refusal afterBody(HttpExchange ex, byte[] body) {
        return null;
    }

    /** 401 when credentials are missing, 403 when they are wrong. */
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
     * HMAC-SHA256 of the raw body with a shared secret, hex, in {@code header}
     * (default {@code X-Stasis-Signature}), optionally prefixed {@code sha256=}
     * as GitHub-style senders do.
     */
    record Hmac(Supplier<String> secret, String header) implements Authenticator {
        public Refusal beforeBody(HttpExchange ex) {
            if (ex.getRequestHeaders().getFirst(header) == null) return new Refusal(401, "missing signature header " + header);
            return null;
        }

        @Override
        public Refusal afterBody(HttpExchange ex, byte[] body) {
            String given = ex.getRequestHeaders().getFirst(header).strip();
            if (given.regionMatches(true, 0, "sha256=", 0, 7)) given = given.substring(7);
            if (!equal(given.toLowerCase(java.util.Locale.ROOT), sign(secret.get(), body))) return new Refusal(403, "wrong signature in " + header);
            return null;
        }

        public static String sign(String secret, byte[] body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return HexFormat.of().formatHex(mac.doFinal(body));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
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
