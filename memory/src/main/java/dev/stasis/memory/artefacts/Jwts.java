package dev.stasis.memory.artefacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes JSON web tokens (RFC 7519) well enough to say whose they are; signatures are not checked. */
final class Jwts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Jwts() {}

    /** A decoded token: its header and claims. */
    record Decoded(JsonNode header, JsonNode claims) {}

    /** Length of the token at {@code start} (three base64url parts), or 0 when it is not one. */
    static int length(byte[] b, int start, int limit) {
        int i = start, dots = 0, partStart = start;
        while (i < limit) {
            byte c = b[i];
            if (c == '.') {
                if (i == partStart || ++dots > 2) break;
                partStart = i + 1;
            } else if (!b64url(c)) {
                break;
            }
            i++;
            if (i - start > 16384) return 0;
        }
        if (dots < 2 || i - partStart < 16) return 0;   // no signature, or a fragment of one
        return i - start;
    }

    static boolean b64url(byte c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    static Decoded decode(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) return null;
        try {
            JsonNode h = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode c = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (h == null || c == null || !h.isObject() || !c.isObject() || !h.has("alg")) return null;
            return new Decoded(h, c);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    /** The service-account view of a token's claims, or null when it is not a Kubernetes service-account token. */
    static ServiceAccountClaims serviceAccount(JsonNode c) {
        JsonNode k = c.path("kubernetes.io");
        String sub = text(c, "sub");
        boolean projected = k.isObject();
        boolean legacy = c.has("kubernetes.io/serviceaccount/namespace");
        if (!projected && !legacy && (sub == null || !sub.startsWith("system:serviceaccount:"))) return null;
        List<String> aud = new ArrayList<>();
        JsonNode a = c.path("aud");
        if (a.isArray()) a.forEach(x -> aud.add(x.asText()));
        else if (a.isTextual()) aud.add(a.asText());
        String ns, sa, saUid, pod = null, podUid = null, secret = null;
        if (projected) {
            ns = text(k, "namespace");
            sa = text(k.path("serviceaccount"), "name");
            saUid = text(k.path("serviceaccount"), "uid");
            pod = text(k.path("pod"), "name");
            podUid = text(k.path("pod"), "uid");
            secret = text(k.path("secret"), "name");
        } else {
            ns = text(c, "kubernetes.io/serviceaccount/namespace");
            sa = text(c, "kubernetes.io/serviceaccount/service-account.name");
            saUid = text(c, "kubernetes.io/serviceaccount/service-account.uid");
            secret = text(c, "kubernetes.io/serviceaccount/secret.name");
        }
        if ((ns == null || sa == null) && sub != null && sub.startsWith("system:serviceaccount:")) {
            String[] p = sub.split(":");
            if (p.length == 4) {
                ns = ns == null ? p[2] : ns;
                sa = sa == null ? p[3] : sa;
            }
        }
        return new ServiceAccountClaims(text(c, "iss"), sub, aud, ns, sa, saUid, pod, podUid, secret, time(c, "iat"), time(c, "nbf"), time(c, "exp"));
    }

    /** Flat, printable claims for the report (nested objects as dotted keys). */
    static Map<String, String> flatten(JsonNode c) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", c, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
        if (out.size() > 64) return;
        if (n.isObject()) {
            n.properties().forEach(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.forEach(x -> items.add(x.isValueNode() ? x.asText() : x.toString()));
            out.put(prefix, String.join(",", items));
        } else {
            out.put(prefix, n.asText());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    private static Instant time(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.canConvertToLong() ? Instant.ofEpochSecond(v.asLong()) : null;
    }

    static String utf8(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
