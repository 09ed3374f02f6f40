package dev.stasis.memory.artefacts;

/** Hides the secret part of a credential while keeping what identifies it. */
final class Masking {
    private Masking() {}

    static String mask(Credential.Kind kind, String value) {
        return switch (kind) {
            case AWS_ACCESS_KEY -> {
                int sp = value.indexOf(' ');
                yield sp < 0 ? value : value.substring(0, sp) + " " + stars(value.substring(sp + 1));
            }
            case BASIC_AUTH_URL, DATABASE_URL -> Urls.withoutPassword(value);
            case KUBERNETES_SERVICE_ACCOUNT_TOKEN, JWT -> {
                int dot = value.lastIndexOf('.');
                yield (dot < 0 ? stars(value) : value.substring(0, Math.min(dot, 16)) + "…" + "." + "*".repeat(8)) + " (" + value.length() + " chars)";
            }
            case SSH_PRIVATE_KEY, PRIVATE_KEY -> {
                int nl = value.indexOf("-----", 5);
                String head = nl < 0 ? "" : value.substring(0, nl + 5);
                yield head + " **** (" + value.length() + " chars)";
            }
            case GCP_SERVICE_ACCOUNT_KEY -> "private key **** (" + value.length() + " chars)";
        };
    }

    /** First two and last two characters of a secret, the rest hidden. */
    static String stars(String s) {
        if (s.length() < 12) return "****";
        return s.substring(0, 2) + "*".repeat(8) + s.substring(s.length() - 2);
    }
}
