package dev.stasis.cli.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * A search hit's context as one readable line of bounded width: printable ASCII as is, {@code \r},
 * {@code \n}, {@code \t} and {@code \\} (a backslash in memory, so that it cannot be read as the start
 * of an escape) as their escapes, any other byte as {@code \xNN}, and a run of four or more equal
 * unprintable bytes once with its count ({@code \x00{14}}, a regex's quantifier; a literal brace
 * right after an escape is written {@code \x7b}), so the NUL padding around a string in a heap no
 * longer fills the line. The match is coloured on a terminal and framed
 * {@code »…«} otherwise: brackets read like a regex class, and guillemets cannot be confused with
 * the bytes around them, which are ASCII or escapes.
 */
final class SearchContext {
    static final String OPEN = "»", CLOSE = "«";
    private static final String ON = "\u001b[1;31m", OFF = "\u001b[0m";

    private SearchContext() {}

    /**
     * {@code before}, the match and {@code after}; each side keeps the units nearest the match that fit in
     * {@code side} characters, the cut marked {@code …}. An escape is never cut in two.
     */
    static String line(byte[] before, byte[] match, byte[] after, int side, boolean colour) {
        List<String> b = units(before), a = units(after);
        StringBuilder left = new StringBuilder();
        int used = 0, i = b.size();
        while (i > 0 && used + b.get(i - 1).length() <= side) used += b.get(--i).length();
        if (i > 0) left.append('…');
        for (int k = i; k < b.size(); k++) left.append(b.get(k));
        StringBuilder right = new StringBuilder();
        used = 0;
        int j = 0;
        while (j < a.size() && used + a.get(j).length() <= side) used += a.get(j++).length();
        for (int k = 0; k < j; k++) right.append(a.get(k));
        if (j < a.size()) right.append('…');
        // a regex match can be kilobytes long: its start, then how long it is
        List<String> mu = units(match);
        StringBuilder m = new StringBuilder();
        int k = 0;
        for (; k < mu.size() && m.length() + mu.get(k).length() <= 2 * side; k++) m.append(mu.get(k));
        if (k < mu.size()) m.append("…(").append(match.length).append(" bytes)");
        return left + (colour ? ON + m + OFF : OPEN + m + CLOSE) + right;
    }

    static String render(byte[] bytes) {
        return String.join("", units(bytes));
    }

    /** The rendering, one unit per character or escape (a collapsed run is one unit). */
    static List<String> units(byte[] bytes) {
        List<String> out = new ArrayList<>(bytes.length);
        for (int i = 0; i < bytes.length; ) {
            int c = bytes[i] & 0xff;
            boolean afterEscape = !out.isEmpty() && out.getLast().startsWith("\\");
            if (c >= 0x20 && c < 0x7f && c != '\\' && !(c == '{' && afterEscape)) {
                out.add(String.valueOf((char) c));
                i++;
                continue;
            }
            int run = 1;
            while (i + run < bytes.length && bytes[i + run] == bytes[i]) run++;
            String esc = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> String.format("\\x%02x", c);
            };
            if (run >= 4) {
                out.add(esc + "{" + run + "}");
                i += run;
            } else {
                out.add(esc);
                i++;
            }
        }
        return out;
    }
}
