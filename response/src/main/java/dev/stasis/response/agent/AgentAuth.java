package dev.stasis.response.agent;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Who may ask the agent to collect. Looks only at the {@code Authorization}
 * header, before the body is read.
 */
public sealed interface AgentAuth {

    /** The caller's identity when allowed; otherwise a refusal. */
    Result check(String authorizationHeader);

    sealed interface Result {}

    record Allowed(String identity) implements Result {}

    /** 401 (no or unusable credentials), 403 (valid but not allowed), 503 (cannot check now). */
    record Refused(int status, String reason) implements Result {}

    /** Nobody is checked: local testing only. */
    record None() implements AgentAuth {
        public Result check(String header) {
            return new Allowed("anonymous (authentication disabled)");
        }
    }

    /**
     * One shared bearer token. Every node accepts the same secret, so a token read on
     * one node opens all of them: for local use only.
     */
    record StaticToken(Supplier<String> token) implements AgentAuth {
        public Result check(String header) {
            String given = bearer(header);
            if (given == null) return new Refused(401, "missing bearer token (Authorization: Bearer ...)");
            String want = token.get();
            if (want == null || want.isBlank() || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), want.getBytes(StandardCharsets.UTF_8)))
                return new Refused(403, "wrong bearer token");
            return new Allowed("static-token");
        }
    }

    /**
     * A Kubernetes service-account token (projected, bound to audience {@code audience}),
     * checked with the TokenReview API: the API server says whether it is valid and whose
     * it is, and the identity must be one of {@code allowed} (the engine's service account,
     * {@code system:serviceaccount:stasis:stasis-engine}). A token is short-lived and bound
     * to its pod, so a leaked one stops working; positive answers are cached for
     * {@code cacheFor} (by the token's hash), refusals are not.
     */
    final class TokenReviewer implements AgentAuth {
        private final KubernetesClient client;
        private final String audience;
        private final Set<String> allowed;
        private final Duration cacheFor;
        private final Clock clock;
        private final Map<String, Cached> cache = new ConcurrentHashMap<>();

        private record Cached(String identity, Instant until) {}

        public TokenReviewer(KubernetesClient client, String audience, Set<String> allowed, Duration cacheFor, Clock clock) {
            if (allowed.isEmpty()) throw new IllegalArgumentException("name at least one identity the agent accepts");
            this.client = client;
            this.audience = audience;
            this.allowed = Set.copyOf(allowed);
            this.cacheFor = cacheFor;
            this.clock = clock;
        }

        public Result check(String header) {
            String token = bearer(header);
            if (token == null) return new Refused(401, "missing bearer token (Authorization: Bearer <service-account token>)");
            String key = sha256(token);
            Instant now = clock.instant();
            Cached c = cache.get(key);
            if (c != null && c.until().isAfter(now)) return new Allowed(c.identity());
            TokenReview review;
            try {
                review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                        .withNewSpec().withToken(token).withAudiences(audience).endSpec().build());
            } catch (KubernetesClientException e) {
                return new Refused(503, "cannot check the token with the API server (TokenReview): HTTP " + e.getCode());
            }
            TokenReviewStatus s = review == null ? null : review.getStatus();
            if (s == null || !Boolean.TRUE.equals(s.getAuthenticated()) || s.getUser() == null)
                return new Refused(401, "token not accepted by the API server for audience " + audience);
            // The API server lists the audiences the token is valid for among those asked; an empty list
            // means the API server's own audience, which this agent never accepts.
            List<String> aud = s.getAudiences();
            if (aud == null || !aud.contains(audience)) return new Refused(401, "token is not for audience " + audience);
            String user = s.getUser().getUsername();
            if (!allowed.contains(user)) return new Refused(403, user + " may not ask this agent to collect");
            if (cache.size() > 1024) cache.clear();
            cache.put(key, new Cached(user, now.plus(cacheFor)));
            return new Allowed(user);
        }
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String t = header.substring(7).strip();
        return t.isEmpty() ? null : t;
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
