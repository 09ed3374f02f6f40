package dev.stasis.analysis.detect;

/** Small text helpers shared by the detectors: masking and one-line excerpts. */
public final class Text {
    private Text() {}

    /** "hu…(12 chars)": enough to recognise a secret, not enough to use it. */
    public static String mask(String secret) {
        if (secret == null) return null;
        if (secret.length() <= 4) return "****";
        return secret.substring(0, 2) + "…(" + secret.length() + " chars)";
    }

    /** Printable, single line, at most max chars. */
    public static String excerpt(String s, int max) {
        if (s == null) return null;
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max + 1));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c == '\r') continue;
            if (c == '\n' || c == '\t') sb.append(' ');
            else if (c < 0x20 || c == 0x7f) sb.append('.');
            else sb.append(c);
        }
        String out = sb.toString().strip();
        return s.length() > max ? out + "…" : out;
    }

    /** The first non-empty line of a text, as an excerpt. */
    public static String firstLine(String text, int max) {
        for (String l : text.split("\n")) if (!l.isBlank() && !l.startsWith("#!")) return excerpt(l, max);
        return excerpt(text, max);
    }
}
