package dev.stasis.capture.state;

/**
 * Path joining as sysdig does it (sinsp_utils::concatenate_paths): a relative path is
 * appended to the base directory, "." and ".." segments are folded, doubled slashes
 * and a trailing slash dropped, unprintable characters replaced by '.'.
 */
public final class Paths {
    private Paths() {}

    /** True if sysdig's path join would treat {@code path} as absolute (or empty). */
    public static boolean isAbsolute(String path) {
        return path.isEmpty() || path.charAt(0) == '/';
    }

    /** base + path, normalised; an absolute (or empty) path ignores the base. */
    public static String concatenate(String base, String path) {
        StringBuilder t = new StringBuilder();
        if (!isAbsolute(path)) {
            t.append(base);
        }
        copySanitized(t, path);
        return t.toString();
    }

    private static boolean invalid(char c) {
        return c < 0x20 || c > 0x7e;
    }

    private static void copySanitized(StringBuilder t, String p) {
        int n = p.length();
        int pc = 0;
        while (true) {
            if (pc >= n) {
                if (t.length() > 1 && t.charAt(t.length() - 1) == '/') {
                    t.setLength(t.length() - 1);
                }
                return;
            }
            char c = p.charAt(pc);
            char c1 = pc + 1 < n ? p.charAt(pc + 1) : 0;
            char c2 = pc + 2 < n ? p.charAt(pc + 2) : 0;
            if (invalid(c)) {
                t.append('.');
                pc++;
            } else if (c == '.' && c1 == '.' && c2 == '/') {
                rewind(t);
                pc += 3;
            } else if (c == '.' && c1 == '.') {
                if (pc + 2 >= n) {
                    rewind(t);
                    pc += 2;
                } else {
                    t.append("..");
                    pc += 2;
                }
            } else if (c == '.' && c1 == '/') {
                pc += 2;
            } else if (c == '.') {
                if (pc + 1 >= n) {
                    pc++;
                } else {
                    t.append('.');
                    pc++;
                }
            } else if (c == '/') {
                if (t.length() > 0 && t.charAt(t.length() - 1) == '/') {
                    pc++;
                } else {
                    t.append('/');
                    pc++;
                }
            } else {
                t.append(c);
                pc++;
            }
        }
    }

    /** Moves the end of {@code t} back to just after the previous separator (never before "/"). */
    private static void rewind(StringBuilder t) {
        int tc = t.length();
        if (tc <= 1) {
            return;
        }
        tc--;
        while (tc >= 1 && t.charAt(tc - 1) != '/') {
            tc--;
        }
        if (tc < 1) {
            tc = 1;
        }
        t.setLength(tc);
    }

    /** sysdig's sanitize_string: keep printable ASCII only. */
    public static String sanitize(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (invalid(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length());
                    sb.append(s, 0, i);
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
