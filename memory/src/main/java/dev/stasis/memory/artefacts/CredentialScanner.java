package dev.stasis.memory.artefacts;

import dev.stasis.memory.artefacts.Credential.Kind;
import dev.stasis.memory.sweep.PageSweep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials in a process's pages: the page sweep finds where a trigger
 * ("eyJ", "AKIA", "ASIA", "-----BEGIN ", "://", "service_account") starts,
 * and the credential's own format is then checked there (a JWT must decode to JSON, a PEM key needs its
 * END line, a URL a user, a password and a host, an AWS key id a 40-character
 * secret near it). Each value is reported once per process with a count.
 */
final class CredentialScanner implements PageSweep.Visitor {
    private static final byte[][] TRIGGERS = {bytes("eyJ"), bytes("AKIA"), bytes("ASIA"), bytes("-----BEGIN "), bytes("://"), bytes("service_account")};
    private static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY-----");
    private static final Pattern GCP_FIELD = Pattern.compile("\"(client_email|private_key_id|private_key|project_id)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){1,4096})\"");
    /** How far from an AWS key id its secret may be (environment blocks and config files keep them together). */
    private static final int AWS_SECRET_DISTANCE = 1024;

    /** A credential seen at an address; merged per value by the caller. */
    record Found(Kind kind, long address, String value, String identity, Map<String, String> details, ServiceAccountClaims claims, String method) {}

    private final Map<String, Found> first = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final java.util.function.LongFunction<String> vmaOf;

    CredentialScanner(java.util.function.LongFunction<String> vmaOf) {
        this.vmaOf = vmaOf;
    }

    /** The literals that start a credential, in the order {@link #found(int, byte[], int, int, long)} numbers them. */
    static List<byte[]> triggers() {
        return List.of(TRIGGERS);
    }

    @Override
    public void found(int t, byte[] b, int i, int limit, long base) {
        Found f = switch (t) {
            case 0 -> jwt(b, i, limit, base);
            case 1, 2 -> aws(b, i, limit, base);
            case 3 -> pem(b, i, limit, base);
            case 4 -> url(b, i, limit, base);
            default -> gcp(b, i, limit, base);
        };
        if (f != null) add(f);
    }

    List<Found> found() {
        return new ArrayList<>(first.values());
    }

    /** Adds what another scanner of the same process found after this one's addresses (a later slice). */
    void merge(CredentialScanner later) {
        for (var e : later.first.entrySet()) first.putIfAbsent(e.getKey(), e.getValue());
        for (var e : later.counts.entrySet()) counts.merge(e.getKey(), e.getValue(), Integer::sum);
    }

    int count(Found f) {
        return counts.getOrDefault(f.kind + "\0" + f.value + "\0" + vmaOf.apply(f.address), 1);
    }

    /** One credential per value and VMA: the same token in the environment and in the heap are two places to see. */
    private void add(Found f) {
        String key = f.kind + "\0" + f.value + "\0" + vmaOf.apply(f.address);
        first.putIfAbsent(key, f);
        counts.merge(key, 1, Integer::sum);
    }

    private static Found jwt(byte[] b, int i, int limit, long base) {
        if (i > 0 && Jwts.b64url(b[i - 1])) return null;       // the middle of something else
        int n = Jwts.length(b, i, limit);
        if (n == 0) return null;
        String token = new String(b, i, n, StandardCharsets.ISO_8859_1);
        Jwts.Decoded d = Jwts.decode(token);
        if (d == null) return null;
        ServiceAccountClaims sa = Jwts.serviceAccount(d.claims());
        Map<String, String> details = Jwts.flatten(d.claims());
        if (d.header().has("kid")) details.put("header.kid", d.header().get("kid").asText());
        details.put("header.alg", d.header().path("alg").asText());
        if (sa != null)
            return new Found(Kind.KUBERNETES_SERVICE_ACCOUNT_TOKEN, base + i, token, "system:serviceaccount:" + sa.namespace() + ":" + sa.serviceAccount(),
                    details, sa, "JWT decoded (base64url header and claims)");
        String sub = d.claims().path("sub").asText(null);
        return new Found(Kind.JWT, base + i, token, sub == null ? d.claims().path("iss").asText("?") : sub, details, null, "JWT decoded (base64url header and claims)");
    }

    private static Found aws(byte[] b, int i, int limit, long base) {
        if (i > 0 && upperAlnum(b[i - 1])) return null;
        if (i + 20 > limit) return null;
        for (int j = i + 4; j < i + 20; j++) if (!upperAlnum(b[j])) return null;
        if (i + 20 < limit && upperAlnum(b[i + 20])) return null;
        String id = new String(b, i, 20, StandardCharsets.ISO_8859_1);
        String secret = null;
        int bestDistance = Integer.MAX_VALUE;
        int lo = Math.max(0, i - AWS_SECRET_DISTANCE), hi = Math.min(limit, i + 20 + AWS_SECRET_DISTANCE);
        for (int s = lo; s + 40 <= hi; s++) {
            if (s > 0 && secretChar(b[s - 1]) || !secretChar(b[s])) continue;
            int e = s;
            while (e < hi && secretChar(b[e])) e++;
            if (e - s == 40 && (e >= limit || b[e] != '=') && mixed(b, s, e)) {
                int dist = Math.abs(s - i);
                if (dist < bestDistance) {
                    bestDistance = dist;
                    secret = new String(b, s, 40, StandardCharsets.ISO_8859_1);
                }
            }
            s = e;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("key_type", id.startsWith("ASIA") ? "temporary (STS)" : "long-term (IAM user)");
        details.put("secret_found", secret == null ? "no" : "yes, " + bestDistance + " bytes away");
        return new Found(Kind.AWS_ACCESS_KEY, base + i, secret == null ? id : id + " " + secret, id, details, null,
                "pattern: AWS key id (AKIA/ASIA + 16) with the nearest 40-character secret");
    }

    private static Found pem(byte[] b, int i, int limit, long base) {
        String head = new String(b, i, Math.min(64, limit - i), StandardCharsets.ISO_8859_1);
        Matcher m = PEM_BEGIN.matcher(head);
        if (!m.lookingAt()) return null;
        String type = m.group(1).trim();
        String endMarker = "-----END " + (type.isEmpty() ? "" : type + " ") + "PRIVATE KEY-----";
        String window = new String(b, i, Math.min(PageSweep.AFTER, limit - i), StandardCharsets.ISO_8859_1);
        int end = window.indexOf(endMarker);
        if (end < 0) return null;
        String body = window.substring(m.end(), end);
        if (body.contains("\\n")) return null;                          // escaped inside JSON: reported with its document (GCP key)
        String compact = body.replaceAll("[\\r\\n]|Proc-Type:.*|DEK-Info:.*", "");
        if (compact.length() < 64 || !compact.matches("[A-Za-z0-9+/=]+")) return null;
        String value = window.substring(0, end + endMarker.length());
        boolean ssh = type.equals("OPENSSH") || type.equals("DSA") || type.equals("EC") || type.equals("RSA");
        Map<String, String> details = new LinkedHashMap<>();
        details.put("pem_type", (type.isEmpty() ? "" : type + " ") + "PRIVATE KEY");
        if (value.contains("ENCRYPTED") || value.contains("Proc-Type: 4,ENCRYPTED")) details.put("encrypted", "yes");
        return new Found(ssh ? Kind.SSH_PRIVATE_KEY : Kind.PRIVATE_KEY, base + i, value, details.get("pem_type"), details, null,
                "pattern: PEM BEGIN/END private key block");
    }

    private static Found url(byte[] b, int i, int limit, long base) {
        int from = Math.max(0, i - 24);
        int s = Urls.schemeStart(b, from, i);
        if (s < 0) return null;
        String url = Urls.parse(b, s, i, limit);
        if (url == null) return null;
        boolean db = Urls.isDatabase(url);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("scheme", Urls.scheme(url));
        String shown = Urls.withoutPassword(url);
        return new Found(db ? Kind.DATABASE_URL : Kind.BASIC_AUTH_URL, base + s, url, shown, details, null, "pattern: scheme://user:password@host");
    }

    private static Found gcp(byte[] b, int i, int limit, long base) {
        int lo = Math.max(0, i - 2048);
        String before = new String(b, lo, i - lo, StandardCharsets.ISO_8859_1);
        if (!before.matches("(?s).*\"type\"\\s*:\\s*\"$")) return null;
        int open = before.lastIndexOf('{');
        if (open < 0) return null;
        int start = lo + open;
        int close = -1;
        for (int j = i; j < limit && j - i < PageSweep.AFTER - 64; j++) {
            if (b[j] == '}') { close = j; break; }
        }
        if (close < 0) return null;
        String doc = new String(b, start, close + 1 - start, StandardCharsets.ISO_8859_1);
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = GCP_FIELD.matcher(doc);
        while (m.find()) fields.putIfAbsent(m.group(1), m.group(2));
        String email = fields.get("client_email"), key = fields.get("private_key");
        if (email == null || key == null || !key.contains("PRIVATE KEY")) return null;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("client_email", email);
        if (fields.containsKey("project_id")) details.put("project_id", fields.get("project_id"));
        if (fields.containsKey("private_key_id")) details.put("private_key_id", fields.get("private_key_id"));
        return new Found(Kind.GCP_SERVICE_ACCOUNT_KEY, base + start, key, email, details, null,
                "pattern: JSON with \"type\": \"service_account\", client_email and private_key");
    }

    private static boolean upperAlnum(byte c) {
        return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean secretChar(byte c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '/' || c == '+';
    }

    /** A secret has lower case, upper case and a digit or symbol: not a hex digest, not a word run. */
    private static boolean mixed(byte[] b, int s, int e) {
        boolean lower = false, upper = false, other = false;
        for (int j = s; j < e; j++) {
            byte c = b[j];
            if (c >= 'a' && c <= 'z') lower = true;
            else if (c >= 'A' && c <= 'Z') upper = true;
            else other = true;
        }
        return lower && upper && other;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
