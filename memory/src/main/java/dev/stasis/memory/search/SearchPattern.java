package dev.stasis.memory.search;

import dev.stasis.memory.MemoryException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** What to look for in memory: exact bytes (text or hex), or a regular expression over bytes. */
public sealed interface SearchPattern {
    /** Text is matched as its UTF-8 bytes; with {@code ignoreCase}, ASCII letters match either case. */
    static SearchPattern text(String s, boolean ignoreCase) {
        if (s.isEmpty()) throw new MemoryException("the search text is empty");
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ignoreCase ? new FoldedLiteral(b) : new Literal(b);
    }

    /** Hex bytes such as {@code "de ad be ef"}, {@code "deadbeef"} or {@code "\\xde\\xad"}. */
    static SearchPattern hex(String hex) {
        String h = hex.replace("\\x", "").replace("0x", "").replaceAll("[\\s:,]", "");
        if (h.isEmpty() || h.length() % 2 != 0 || !h.matches("[0-9a-fA-F]+"))
            throw new MemoryException("not a hex byte string: '" + hex + "' (expected pairs of hex digits, e.g. \"de ad be ef\")");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < h.length(); i += 2) out.write(Integer.parseInt(h, i, i + 2, 16));
        return new Literal(out.toByteArray());
    }

    /**
     * A Java regular expression applied to bytes as ISO-8859-1 characters (one
     * char per byte, so {@code \x00} and {@code [\x80-\xff]} mean bytes).
     * Matches are at most {@code maxMatch} bytes long.
     */
    static SearchPattern regex(String regex, boolean ignoreCase, int maxMatch) {
        try {
            Pattern p = Pattern.compile(regex, Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
            if (p.matcher("").matches()) throw new MemoryException("the regex '" + regex + "' matches the empty string; it would match everywhere");
            String lit = ignoreCase ? null : RequiredLiteral.of(regex);
            return new Regex(p, maxMatch, lit == null ? null : lit.getBytes(StandardCharsets.ISO_8859_1));
        } catch (PatternSyntaxException e) {
            throw new MemoryException("bad regex: " + e.getDescription() + " near index " + e.getIndex() + " in '" + regex + "'");
        }
    }

    /** Exact bytes. */
    record Literal(byte[] bytes) implements SearchPattern {}

    /** Bytes where ASCII letters match in either case. */
    record FoldedLiteral(byte[] bytes) implements SearchPattern {}

    /** A regex; {@code required} is a literal every match contains (a prefilter), or null. */
    record Regex(Pattern pattern, int maxMatch, byte[] required) implements SearchPattern {}
}
