package dev.stasis.memory.artefacts;

import java.time.Instant;
import java.util.List;

/**
 * The claims of a Kubernetes service-account token that say who it is. Projected
 * tokens carry them under {@code kubernetes.io}; legacy secret-based tokens as
 * {@code kubernetes.io/serviceaccount/*} claims. Fields a token lacks are null.
 */
public record ServiceAccountClaims(String issuer, String subject, List<String> audiences, String namespace, String serviceAccount,
                                   String serviceAccountUid, String pod, String podUid, String secret, Instant issuedAt,
                                   Instant notBefore, Instant expires) {
    public ServiceAccountClaims {
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
    }

    /** True for a token bound to a pod (a projected token), false for a legacy long-lived one. */
    public boolean bound() {
        return pod != null;
    }

    /** "payments/billing" or the subject. */
    public String identity() {
        return namespace != null && serviceAccount != null ? namespace + "/" + serviceAccount : subject;
    }
}
