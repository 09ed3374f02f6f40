package dev.stasis.capture.record;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values inside strace's argument lists: splitting at top-level commas,
 * C-escaped strings ({@code -xx} prints every byte as {@code \xNN}), file
 * descriptors with their {@code -yy} decoration ({@code 3</etc/passwd>},
 * {@code 4<TCP:[127.0.0.1:40000->127.0.0.1:8080]>}), socket addresses, flag
 * lists and return values.
 */
final class StraceArgs {
    private StraceArgs() {}

    /** AT_FDCWD as the driver encodes it (PPM_AT_FDCWD). */
    static final long AT_FDCWD = -100;

    /** A file descriptor argument: its number and its decoration (decoded, "" if none). */
    record Fd(long fd, String decoration) {
        /** The connection in the decoration, or null ({@code TCP:[a:1->b:2]}, local side first). */
        Tuple tuple() {
            return Tuple.parse(decoration);
        }

        /** The inode of {@code TCP:[1234]} / {@code socket:[1234]}, or -1. */
        long socketInode() {
            Matcher m = INODE.matcher(decoration);
            return m.matches() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    /** Both ends of an IP socket as strace prints them: the local end first. */
    record Tuple(boolean udp, byte[] localIp, int localPort, byte[] remoteIp, int remotePort) {
        private static final Pattern P = Pattern.compile("(TCP|UDP|TCPv6|UDPv6):\\[(.+):(\\d+)->(.+):(\\d+)\\]");

        static Tuple parse(String deco) {
            Matcher m = P.matcher(deco);
            if (!m.matches()) {
                return null;
            }
            byte[] l = Ip.parse(m.group(2));
            byte[] r = Ip.parse(m.group(4));
            if (l == null || r == null) {
                return null;
            }
            return new Tuple(m.group(1).startsWith("UDP"), l, Integer.parseInt(m.group(3)), r, Integer.parseInt(m.group(5)));
        }
    }

    /** A socket address argument: IPv4/IPv6 address and port, or a unix path; family is the Linux AF_ name. */
    record SockAddr(String family, byte[] ip, int port, String path) {}

    /** A return value: the number (negative errno on failure), the fd decoration if any, the errno name. */
    record Ret(long value, boolean known, String decoration, String errno) {
        boolean failed() {
            return errno != null;
        }
    }

    private static final Pattern INODE = Pattern.compile("(?:TCP|UDP|TCPv6|UDPv6|UNIX|UNIX-STREAM|UNIX-DGRAM|socket|NETLINK):\\[(\\d+)\\]");

    /**
     * The index of the '"' that closes the C string literal opened at {@code open} (a backslash
     * escapes the next character), or {@code s.length()} when the string runs to the end. The one
     * walk over a string that {@link #matchingParen} and {@link #split} step over whole.
     */
    static int closingQuote(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return s.length();
    }

    /** Index of the ')' matching the '(' at {@code open}, skipping strings and nested brackets, or -1. */
    static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = closingQuote(s, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    return c == ')' ? i : -1;
                }
            }
        }
        return -1;
    }

    /** Splits an argument list at commas outside strings, brackets, braces, parentheses and fd decorations. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int angle = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> i = closingQuote(s, i);
                case '(', '[', '{' -> depth++;
                case ')', ']', '}' -> depth--;
                case '<' -> {
                    // an fd decoration follows the number (3<...>) or AT_FDCWD, and nests (<char 1:3>)
                    if (angle > 0 || (i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1))))) {
                        angle++;
                    }
                }
                case '>' -> {
                    if (angle > 0 && s.charAt(i - 1) != '-') {
                        angle--;
                    }
                }
                case ',' -> {
                    if (depth == 0 && angle == 0) {
                        out.add(s.substring(start, i).strip());
                        start = i + 1;
                    }
                }
                default -> { }
            }
        }
        String last = s.substring(start).strip();
        if (!last.isEmpty() || !out.isEmpty()) {
            out.add(last);
        }
        return out;
    }

    /**
     * The bytes of a C string literal as strace prints it ({@code "\x41\x0a"...}, with
     * "..." after it when cut at the snap length); the first string in {@code arg}.
     * Returns an empty array when {@code arg} holds no string (a pointer, NULL).
     */
    static byte[] bytes(String arg) {
        int q = arg.indexOf('"');
        if (q < 0) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(arg.length() / 4 + 4);
        unescape(arg, q + 1, out);
        return out.toByteArray();
    }

    /** The string argument decoded as UTF-8 (paths), "" if none. */
    static String string(String arg) {
        return new String(bytes(arg), StandardCharsets.UTF_8);
    }

    /** True if the string argument was cut at the snap length (strace appends "..."). */
    static boolean truncated(String arg) {
        return arg.endsWith("\"...");
    }

    /** Decodes escapes from {@code from} up to the closing quote; returns the index after it. */
    private static int unescape(String s, int from, ByteArrayOutputStream out) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c != '\\' || i + 1 >= s.length()) {
                if (c < 0x80) {
                    out.write(c);
                } else {
                    byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    out.write(b, 0, b.length);
                }
                i++;
                continue;
            }
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'x' -> {
                    int v = 0;
                    int k = 0;
                    while (k < 2 && i < s.length() && Character.digit(s.charAt(i), 16) >= 0) {
                        v = v * 16 + Character.digit(s.charAt(i), 16);
                        i++;
                        k++;
                    }
                    out.write(v);
                }
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case 'v' -> out.write(0x0b);
                case 'f' -> out.write('\f');
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        int k = 1;
                        while (k < 3 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7') {
                            v = v * 8 + (s.charAt(i) - '0');
                            i++;
                            k++;
                        }
                        out.write(v);
                    } else {
                        out.write(e);
                    }
                }
            }
        }
        return i;
    }

    /** Decodes every \x escape in a decoration (-xx hex-encodes paths inside &lt;&gt; too). */
    static String unescapeDecoration(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        unescape(s.replace("\"", "\\\""), 0, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** An fd argument: {@code 3}, {@code 3</etc/passwd>}, {@code AT_FDCWD</root>}; null if not one. */
    static Fd fd(String arg) {
        String a = arg.strip();
        int lt = a.indexOf('<');
        String num = lt < 0 ? a : a.substring(0, lt);
        String deco = "";
        if (lt >= 0 && a.endsWith(">")) {
            deco = decoration(a.substring(lt + 1, a.length() - 1));
        } else if (lt >= 0 && a.endsWith(">(deleted)")) {
            // strace marks an unlinked file (a memfd) after the brackets; /proc's link, which the
            // process list and sysdig's fd names come from, ends with " (deleted)"
            deco = decoration(a.substring(lt + 1, a.length() - ">(deleted)".length())) + " (deleted)";
        }
        if (num.equals("AT_FDCWD")) {
            return new Fd(AT_FDCWD, deco);
        }
        try {
            return new Fd(Long.parseLong(num), deco);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A decoration without the device suffix strace adds for device files ({@code /dev/null<char 1:3>}). */
    private static String decoration(String inner) {
        String d = unescapeDecoration(inner);
        if (d.endsWith(">")) {
            int lt = d.lastIndexOf('<');
            if (lt > 0 && (d.startsWith("char ", lt + 1) || d.startsWith("block ", lt + 1))) {
                d = d.substring(0, lt);
            }
        }
        return d;
    }

    /** Parses a return value: "3<...>", "-1 ENOENT (No such file or directory)", "0x7f00", "?". */
    static Ret ret(String ret) {
        String r = ret.strip();
        if (r.isEmpty() || r.startsWith("?")) {
            return new Ret(0, false, "", null);
        }
        int end = 0;
        if (r.startsWith("-")) {
            end = 1;
        }
        boolean hex = r.startsWith("0x", end);
        if (hex) {
            end += 2;
        }
        int digitsStart = end;
        while (end < r.length() && Character.digit(r.charAt(end), hex ? 16 : 10) >= 0) {
            end++;
        }
        if (end == digitsStart) {
            return new Ret(0, false, "", null);
        }
        long v = hex ? Long.parseUnsignedLong(r.substring(digitsStart, end), 16)
                : Long.parseLong(r.substring(0, end));
        String tail = r.substring(end);
        if (tail.startsWith("<") && tail.contains(">")) {
            return new Ret(v, true, decoration(tail.substring(1, tail.lastIndexOf('>'))), null);
        }
        String t = tail.strip();
        if (v == -1 && !t.isEmpty() && t.charAt(0) == 'E') {
            int sp = t.indexOf(' ');
            String name = sp < 0 ? t : t.substring(0, sp);
            return new Ret(-Errnos.number(name), true, "", name);
        }
        return new Ret(v, true, "", null);
    }

    /** A number argument (decimal, hex or octal as strace prints), or {@code dflt}. */
    static long number(String arg, long dflt) {
        String a = arg.strip();
        try {
            if (a.startsWith("0x")) {
                return Long.parseUnsignedLong(a.substring(2), 16);
            }
            if (a.length() > 1 && a.startsWith("0") && a.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(a, 8);
            }
            int end = a.startsWith("-") ? 1 : 0;
            while (end < a.length() && Character.isDigit(a.charAt(end))) {
                end++;
            }
            return end == 0 || (end == 1 && a.startsWith("-")) ? dflt : Long.parseLong(a.substring(0, end));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** Names in a flag list ({@code O_WRONLY|O_CREAT|0x40000}). */
    static List<String> flags(String arg) {
        List<String> out = new ArrayList<>();
        for (String f : arg.strip().split("\\|")) {
            if (!f.isBlank()) {
                out.add(f.strip());
            }
        }
        return out;
    }

    /** The value of {@code key=} inside a struct argument ({@code {flags=O_RDONLY, mode=0}}), or "". */
    static String field(String struct, String key) {
        String s = struct.strip();
        if (s.startsWith("{") && s.endsWith("}")) {
            s = s.substring(1, s.length() - 1);
        }
        for (String part : split(s)) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        return "";
    }

    private static final Pattern PORT = Pattern.compile("sin6?_port=htons\\((\\d+)\\)");
    private static final Pattern IP4 = Pattern.compile("sin_addr=inet_addr\\((\"[^\"]*\")\\)");
    private static final Pattern IP6 = Pattern.compile("inet_pton\\(AF_INET6, (\"[^\"]*\")");

    /** A socket address ({@code {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}}), or null. */
    static SockAddr sockaddr(String arg) {
        String fam = field(arg, "sa_family");
        if (fam.isEmpty()) {
            return null;
        }
        if (fam.equals("AF_UNIX")) {
            return new SockAddr(fam, null, 0, string(field(arg, "sun_path")));
        }
        Matcher port = PORT.matcher(arg);
        int p = port.find() ? Integer.parseInt(port.group(1)) : 0;
        Matcher ip = (fam.equals("AF_INET6") ? IP6 : IP4).matcher(arg);
        byte[] addr = ip.find() ? Ip.parse(string(ip.group(1))) : null;
        if (addr == null) {
            addr = new byte[fam.equals("AF_INET6") ? 16 : 4];
        }
        return new SockAddr(fam, addr, p, null);
    }

    /** The strings of a string array argument ({@code ["/bin/true", "arg1"]}). */
    static List<byte[]> stringArray(String arg) {
        String a = arg.strip();
        List<byte[]> out = new ArrayList<>();
        if (!a.startsWith("[")) {
            return out;
        }
        int end = a.lastIndexOf(']');
        for (String part : split(a.substring(1, end < 0 ? a.length() : end))) {
            if (part.startsWith("\"")) {
                out.add(bytes(part));
            }
        }
        return out;
    }

    /**
     * The data of an iovec array ({@code [{iov_base="\x61", iov_len=1}, ...]}, also inside
     * a msghdr's {@code msg_iov=}), concatenated and cut at {@code limit} bytes.
     */
    static byte[] iovData(String arg, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        while (out.size() < limit) {
            int at = arg.indexOf("iov_base=", from);
            if (at < 0) {
                break;
            }
            int q = at + "iov_base=".length();
            if (q < arg.length() && arg.charAt(q) == '"') {
                ByteArrayOutputStream one = new ByteArrayOutputStream();
                from = unescape(arg, q + 1, one);
                byte[] b = one.toByteArray();
                out.write(b, 0, Math.min(b.length, limit - out.size()));
            } else {
                from = q;
            }
        }
        return out.toByteArray();
    }

    /** The sum of {@code iov_len=} values in an iovec array. */
    static long iovLength(String arg) {
        long n = 0;
        Matcher m = Pattern.compile("iov_len=(\\d+)").matcher(arg);
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }
}
