package dev.stasis.capture.filter;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code regex} operator's patterns. Falco (libsinsp >= 0.36) matches them with
 * RE2 against the whole value (ANCHOR_BOTH); stasis uses java.util.regex, after
 * turning RE2-only spellings into Java's ({@code (?P<name>...)}, POSIX classes such
 * as {@code [[:digit:]]}) and refusing what RE2 refuses (backreferences, look-around,
 * atomic groups, possessive quantifiers), so that a rule accepted here loads in
 * Falco and matches the same values there.
 */
final class Re2Syntax {
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\p{Space}"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));

    private Re2Syntax() {}

    /** The pattern for {@code regex}; {@link FilterException} (at {@code column}) for what RE2 would reject. */
    static Pattern compile(String re2, int column) {
        String java = translate(re2, column);
        try {
            return Pattern.compile(java);
        } catch (PatternSyntaxException e) {
            throw new FilterException("invalid regular expression '" + re2 + "': " + e.getDescription(), column);
        }
    }

    private static String translate(String p, int column) {
        StringBuilder out = new StringBuilder(p.length() + 8);
        boolean inClass = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                if (i + 1 >= p.length()) throw bad(p, "trailing backslash", column);
                char n = p.charAt(i + 1);
                if (!inClass && ((n >= '1' && n <= '9') || n == 'k')) throw bad(p, "backreferences are not RE2 syntax", column);
                if (n == 'Q') { // \Q...\E quotes literally in both dialects
                    int end = p.indexOf("\\E", i + 2);
                    int stop = end < 0 ? p.length() : end + 2;
                    out.append(p, i, stop);
                    i = stop - 1;
                    continue;
                }
                out.append(c).append(n);
                i++;
                continue;
            }
            if (inClass) {
                if (c == '[' && p.startsWith("[:", i)) {
                    int end = p.indexOf(":]", i + 2);
                    if (end > 0) {
                        String name = p.substring(i + 2, end);
                        boolean negated = name.startsWith("^");
                        String cls = POSIX.get(negated ? name.substring(1) : name);
                        if (cls == null) throw bad(p, "unknown character class [:" + name + ":]", column);
                        out.append(!negated ? cls : cls.equals("\\w") ? "\\W" : "\\P" + cls.substring(2));
                        i = end + 1;
                        continue;
                    }
                }
                if (c == '[') {
                    out.append("\\["); // RE2 has no nested classes or class operators: a literal bracket
                    continue;
                }
                if (c == '&' && i + 1 < p.length() && p.charAt(i + 1) == '&') {
                    out.append("&\\&"); // Java's class intersection is two literal ampersands in RE2
                    i++;
                    continue;
                }
                if (c == ']' && !classJustOpened(out)) inClass = false;
                out.append(c);
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    out.append(c);
                    if (i + 1 < p.length() && p.charAt(i + 1) == '^') {
                        out.append('^');
                        i++;
                    }
                    if (i + 1 < p.length() && p.charAt(i + 1) == ']') { // a leading ']' is literal
                        out.append("\\]");
                        i++;
                    }
                }
                case '(' -> {
                    if (p.startsWith("(?P<", i)) {
                        out.append("(?<");
                        i += 3;
                    } else if (p.startsWith("(?=", i) || p.startsWith("(?!", i) || p.startsWith("(?<=", i)
                            || p.startsWith("(?<!", i)) {
                        throw bad(p, "look-around assertions are not RE2 syntax", column);
                    } else if (p.startsWith("(?>", i)) {
                        throw bad(p, "atomic groups are not RE2 syntax", column);
                    } else if (p.startsWith("(?<", i)) {
                        throw bad(p, "named groups are written (?P<name>...) in RE2", column);
                    } else {
                        out.append(c);
                    }
                }
                case '+' -> {
                    if (out.length() > 0 && isQuantifierEnd(p, i - 1)) throw bad(p, "possessive quantifiers are not RE2 syntax", column);
                    out.append(c);
                }
                default -> out.append(c);
            }
        }
        if (inClass) throw bad(p, "missing closing ]", column);
        return out.toString();
    }

    /** Whether the class opened just before (so a ']' here is a literal member, e.g. "[]a]" handled above). */
    private static boolean classJustOpened(StringBuilder out) {
        int n = out.length();
        return n > 0 && (out.charAt(n - 1) == '[' || (n > 1 && out.charAt(n - 1) == '^' && out.charAt(n - 2) == '['));
    }

    /** A '+' right after a quantifier ({@code a*+}, {@code a++}, {@code a?+}, {@code a{2}+}) is Java's possessive form. */
    private static boolean isQuantifierEnd(String p, int i) {
        if (i < 0) return false;
        char q = p.charAt(i);
        if (q != '*' && q != '+' && q != '?' && q != '}') return false;
        int backslashes = 0;
        for (int k = i - 1; k >= 0 && p.charAt(k) == '\\'; k--) backslashes++;
        return backslashes % 2 == 0; // an escaped \* or \+ is a literal, not a quantifier
    }

    private static FilterException bad(String p, String why, int column) {
        return new FilterException("invalid regular expression '" + p + "': " + why, column);
    }
}
