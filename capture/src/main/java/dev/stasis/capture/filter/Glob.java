package dev.stasis.capture.filter;

import java.util.regex.Pattern;

/** fnmatch(3) without flags, as libsinsp's glob operator uses it: {@code *} and {@code ?} also match '/'. */
final class Glob {
    private Glob() {}

    static Pattern compile(String glob, boolean caseInsensitive) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '\\' -> {
                    if (i + 1 < glob.length()) re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    else re.append("\\\\");
                }
                case '[' -> {
                    int end = bracketEnd(glob, i);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        String body = glob.substring(i + 1, end);
                        boolean negate = body.startsWith("!") || body.startsWith("^");
                        if (negate) body = body.substring(1);
                        re.append('[');
                        if (negate) re.append('^');
                        for (char b : body.toCharArray()) {
                            if (b == '\\' || b == '[' || b == ']' || b == '&' || b == '^') re.append('\\');
                            re.append(b);
                        }
                        re.append(']');
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(re.toString(), flags);
    }

    /** The index of the ']' closing a bracket expression opened at {@code open}, or -1. */
    private static int bracketEnd(String glob, int open) {
        int i = open + 1;
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) i++;
        if (i < glob.length() && glob.charAt(i) == ']') i++;
        while (i < glob.length() && glob.charAt(i) != ']') i++;
        return i < glob.length() ? i : -1;
    }
}
