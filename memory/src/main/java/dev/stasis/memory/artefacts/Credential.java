package dev.stasis.memory.artefacts;

import java.util.List;
import java.util.Map;

/**
 * A credential found in one process's memory. The same value found several
 * times in a process is one credential ({@code occurrences} counts them,
 * {@code address} is the first).
 *
 * @param kind        what it is
 * @param pid         process id in the checkpoint
 * @param process     the process's comm
 * @param address     address of the first occurrence
 * @param vma         the VMA holding it, as "start-end name"
 * @param value       the credential itself (shown only through {@link #masked()} unless asked)
 * @param identity    the non-secret part that names who it is: an AWS key id, a URL without password, an email, a JWT subject
 * @param details     decoded facts (JWT claims, key type), never secret
 * @param claims      the decoded claims of a Kubernetes service-account token, else null
 * @param occurrences how many times this value is in this process
 * @param method      how it was found
 */
public record Credential(Kind kind, int pid, String process, long address, String vma, String value, String identity,
                         Map<String, String> details, ServiceAccountClaims claims, int occurrences, String method) {
    public Credential {
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** Kinds of credential, with the ATT&CK technique that names stealing it. */
    public enum Kind {
        KUBERNETES_SERVICE_ACCOUNT_TOKEN("kubernetes service-account token", "T1552.007"),
        JWT("JSON web token", "T1552.001"),
        AWS_ACCESS_KEY("AWS access key", "T1552.001"),
        GCP_SERVICE_ACCOUNT_KEY("GCP service-account key", "T1552.001"),
        SSH_PRIVATE_KEY("SSH private key", "T1552.004"),
        PRIVATE_KEY("private key", "T1552.004"),
        BASIC_AUTH_URL("URL with a password", "T1552.001"),
        DATABASE_URL("database connection string", "T1552.001");

        private final String label;
        private final String technique;

        Kind(String label, String technique) {
            this.label = label;
            this.technique = technique;
        }

        public String label() {
            return label;
        }

        public String technique() {
            return technique;
        }

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The value with its secret part hidden: enough to recognise it, not to use it. */
    public String masked() {
        return Masking.mask(kind, value);
    }

    /** The value shown as asked: whole with {@code showSecrets}, else masked. */
    public String shown(boolean showSecrets) {
        return showSecrets ? value : masked();
    }

    static List<String> kinds() {
        return java.util.Arrays.stream(Kind.values()).map(Kind::key).toList();
    }
}
