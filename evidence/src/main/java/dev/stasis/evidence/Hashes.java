package dev.stasis.evidence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 helpers shared by the vault, its log and its callers. */
public final class Hashes {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private Hashes() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static boolean isSha256(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    /** Accepts {@code sha256:HEX} or HEX in any case; refuses anything that is not a SHA-256. */
    public static String normalise(String s) {
        String v = s.strip().toLowerCase(java.util.Locale.ROOT);
        if (v.startsWith("sha256:")) v = v.substring(7);
        if (!isSha256(v)) throw new EvidenceException("not a SHA-256 (64 hex digits): '" + s + "'");
        return v;
    }
}
