package dev.stasis.memory.search;

/**
 * Finds a literal string that every match of a regex must contain, so that a
 * fast literal scan can find candidate places and the regex engine runs only
 * around them. Conservative: anything it does not fully understand (groups,
 * alternation, classes, escapes with letters) breaks the literal, and
 * constructs that could change the meaning of the rest (alternation, inline
 * flags, quoting) make it give up.
 */
final class RequiredLiteral {
    private RequiredLiteral() {}

    /** The longest required literal of at least 2 characters, or null. */
    static String of(String re) {
        String best = "";
        StringBuilder run = new StringBuilder();
        int depth = 0;
        int i = 0;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '|') return null;
            if (c == '\\') {
                if (i + 1 >= re.length()) return null;
                char e = re.charAt(i + 1);
                if ("xuU0cpPQENk".indexOf(e) >= 0) return null;
                i += 2;
                if (depth > 0) continue;
                if (Character.isLetterOrDigit(e)) {
                    best = longer(best, run);
                    run.setLength(0);
                    continue;
                }
                i = literal(re, i, e, run);
                if (i < 0) {
                    best = longer(best, run);
                    run.setLength(0);
                    i = -i;
                }
                continue;
            }
            if (c == '[') {
                i = skipClass(re, i);
                if (i < 0) return null;
                if (depth == 0) {
                    best = longer(best, run);
                    run.setLength(0);
                }
                continue;
            }
            if (c == '(') {
                if (i + 1 < re.length() && re.charAt(i + 1) == '?' && depth == 0 && i + 2 < re.length() && re.charAt(i + 2) != ':') return null;
                depth++;
                i++;
                if (depth == 1) {
                    best = longer(best, run);
                    run.setLength(0);
                }
                continue;
            }
            if (c == ')') {
                depth = Math.max(0, depth - 1);
                i++;
                continue;
            }
            if (depth > 0) {
                i++;
                continue;
            }
            if (".^$?*+{".indexOf(c) >= 0) {
                best = longer(best, run);
                run.setLength(0);
                if (c == '{') {
                    int close = re.indexOf('}', i);
                    if (close < 0) return null;
                    i = close + 1;
                } else {
                    i++;
                }
                continue;
            }
            i = literal(re, i + 1, c, run);
            if (i < 0) {
                best = longer(best, run);
                run.setLength(0);
                i = -i;
            }
        }
        best = longer(best, run);
        return best.length() >= 2 && best.chars().allMatch(ch -> ch < 256) ? best : null;
    }

    /**
     * Adds literal {@code c} (whose text ends before {@code next}) to the run
     * unless a quantifier makes it optional. Returns the next index, negated
     * when the run must end after this character.
     */
    private static int literal(String re, int next, char c, StringBuilder run) {
        char q = next < re.length() ? re.charAt(next) : 0;
        if (q == '?' || q == '*' || q == '{') return -next;      // optional or counted: not required as is
        run.append(c);
        if (q == '+') return -(next + 1);                         // required once, but what follows may not be adjacent
        return next;
    }

    private static int skipClass(String re, int i) {
        int j = i + 1;
        if (j < re.length() && re.charAt(j) == '^') j++;
        if (j < re.length() && re.charAt(j) == ']') j++;
        int nest = 1;
        while (j < re.length()) {
            char c = re.charAt(j);
            if (c == '\\') j += 2;
            else if (c == '[') { nest++; j++; }
            else if (c == ']') { if (--nest == 0) return j + 1; j++; }
            else j++;
        }
        return -1;
    }

    private static String longer(String best, StringBuilder run) {
        return run.length() > best.length() ? run.toString() : best;
    }
}
