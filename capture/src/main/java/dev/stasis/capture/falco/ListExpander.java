package dev.stasis.capture.falco;

import java.util.List;
import java.util.Map;

/**
 * Replaces list names in a condition with the lists' items, the way Falco's
 * rule compiler does it: textually, where the name stands between delimiters
 * (blanks, parentheses, commas, '='), items quoted when they contain a blank
 * and are not quoted yet. Doing it on the text rather than the tree is what
 * lets a list item be written {@code '"1.2.3.4"'} in YAML.
 */
final class ListExpander {
    private static final String BLANKS = " \t\n\r";
    private static final String DELIMS = BLANKS + "(),=";

    private ListExpander() {}

    static String expand(String condition, Map<String, List<String>> lists) {
        String cnd = condition;
        for (Map.Entry<String, List<String>> list : lists.entrySet()) {
            cnd = expandOne(cnd, list.getKey(), list.getValue());
        }
        return cnd;
    }

    static String quote(String item) {
        if (item.indexOf(' ') >= 0 && !item.startsWith("\"") && !item.startsWith("'")) return '"' + item + '"';
        return item;
    }

    private static String expandOne(String cnd, String name, List<String> items) {
        int start = cnd.indexOf(name);
        while (start >= 0) {
            int end = start + name.length();
            boolean before = start == 0 || DELIMS.indexOf(cnd.charAt(start - 1)) >= 0;
            boolean after = end >= cnd.length() || DELIMS.indexOf(cnd.charAt(end)) >= 0;
            if (before && after) {
                while (start > 0 && BLANKS.indexOf(cnd.charAt(start - 1)) >= 0) start--;
                while (end < cnd.length() && BLANKS.indexOf(cnd.charAt(end)) >= 0) end++;
                StringBuilder sub = new StringBuilder();
                for (String item : items) {
                    if (sub.length() > 0) sub.append(", ");
                    sub.append(quote(item));
                }
                if (sub.length() == 0) {
                    // An empty list must not leave a dangling comma.
                    if (start > 0 && cnd.charAt(start - 1) == ',') start--;
                    else if (end < cnd.length() && cnd.charAt(end) == ',') end++;
                }
                String prefix = start > 0 ? cnd.substring(0, start) + " " : "";
                cnd = prefix + sub + " " + cnd.substring(Math.min(end, cnd.length()));
                start = prefix.length() + sub.length();
            }
            start = cnd.indexOf(name, start + 1);
        }
        return cnd;
    }
}
