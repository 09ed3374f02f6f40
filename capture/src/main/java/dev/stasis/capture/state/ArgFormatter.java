package dev.stasis.capture.state;

import dev.stasis.capture.scap.EventTable;
import dev.stasis.capture.scap.ParamFormat;
import dev.stasis.capture.scap.ParamInfo;
import dev.stasis.capture.scap.ParamType;
import dev.stasis.capture.scap.RawEvent;
import dev.stasis.capture.scap.UserEntry;
import dev.stasis.capture.scap.GroupEntry;
import java.util.List;
import java.util.Map;

/**
 * Renders event parameters the way sysdig 0.29 does (sinsp_evt::get_param_as_str and
 * the evt.args field): a plain value and an optional resolved value printed in
 * parentheses, e.g. {@code fd=3(<f>/etc/passwd)} or {@code res=-2(ENOENT)}.
 */
final class ArgFormatter {
    /** sysdig truncates buffers in its output to this many characters. */
    static final int MAX_BUFFER_OUTPUT = 80;
    private static final long AT_FDCWD = -100;

    record Formatted(String value, String resolved) {
        static Formatted of(String v) {
            return new Formatted(v, "");
        }
    }

    private ArgFormatter() {}

    static String args(Event e) {
        if (e.type() == 0 || e.type() == 1) {
            return ""; // generic events: sysdig prints no arguments
        }
        StringBuilder sb = new StringBuilder();
        int n = e.raw().nparams();
        for (int i = 0; i < n; i++) {
            Formatted f = format(e, i);
            sb.append(e.paramName(i)).append('=').append(f.value());
            if (!f.resolved().isEmpty()) {
                sb.append('(').append(f.resolved()).append(')');
            }
            sb.append(' ');
        }
        return sb.toString();
    }

    static Formatted format(Event e, int i) {
        RawEvent r = e.raw();
        ParamInfo pi = e.paramInfo(i);
        if (pi == null) {
            return Formatted.of("");
        }
        byte[] d = r.data();
        int off = r.offset(i);
        int len = r.paramLength(i);
        ParamType type = pi.type();
        ParamFormat fmt = pi.format();
        if (type == ParamType.DYN && len > 0) {
            int idx = d[off] & 0xFF;
            ParamType dyn = dynamicType(pi.flagTable(), idx);
            if (dyn != null) {
                off++;
                len--;
                type = dyn;
            }
        }
        return render(e, i, pi, type, fmt, d, off, len);
    }

    private static ParamType dynamicType(String table, int idx) {
        List<ParamType> types = switch (table) {
            case "sockopt_dynamic_param" -> List.of(ParamType.BYTEBUF, ParamType.ERRNO, ParamType.UINT32,
                    ParamType.UINT64, ParamType.RELTIME);
            case "ptrace_dynamic_param" -> List.of(ParamType.UINT64, ParamType.SIGTYPE);
            case "bpf_dynamic_param" -> List.of(ParamType.FD, ParamType.ERRNO);
            default -> List.of();
        };
        return idx < types.size() ? types.get(idx) : null;
    }

    private static long num(byte[] d, int off, int len, boolean signed) {
        return switch (len) {
            case 1 -> signed ? d[off] : d[off] & 0xFFL;
            case 2 -> {
                int v = (d[off] & 0xFF) | (d[off + 1] & 0xFF) << 8;
                yield signed ? (short) v : v;
            }
            case 4 -> {
                int v = (d[off] & 0xFF) | (d[off + 1] & 0xFF) << 8 | (d[off + 2] & 0xFF) << 16 | (d[off + 3] & 0xFF) << 24;
                yield signed ? v : v & 0xFFFFFFFFL;
            }
            case 8 -> {
                long v = 0;
                for (int k = 7; k >= 0; k--) {
                    v = v << 8 | (d[off + k] & 0xFF);
                }
                yield v;
            }
            default -> 0;
        };
    }

    /** printf of a value of {@code bits} width with sysdig's SET_NUMERIC_FORMAT rules. */
    private static String numeric(long v, int bits, boolean signedType, ParamFormat fmt) {
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long u = v & mask;
        switch (fmt) {
            case OCT:
                return u == 0 ? "0" : "0" + Long.toOctalString(u);
            case HEX:
                return Long.toHexString(u).toUpperCase(java.util.Locale.ROOT);
            case PADDED_DEC:
                return String.format("%09d", signedValue(u, bits));
            default:
                // PRId of the width: unsigned types print as their signed reinterpretation
                return Long.toString(signedValue(u, bits));
        }
    }

    private static long signedValue(long u, int bits) {
        return switch (bits) {
            case 8 -> (byte) u;
            case 16 -> (short) u;
            case 32 -> (int) u;
            default -> u;
        };
    }

    private static Formatted render(Event e, int idx, ParamInfo pi, ParamType type, ParamFormat fmt, byte[] d,
            int off, int len) {
        ThreadInfo t = e.thread();
        switch (type) {
            case INT8, UINT8:
                return Formatted.of(len < 1 ? "" : type == ParamType.UINT8 && fmt != ParamFormat.HEX
                        && fmt != ParamFormat.OCT ? Long.toString(d[off] & 0xFF) : numeric(num(d, off, 1, true), 8, true, fmt));
            case INT16, UINT16, PORT:
                return Formatted.of(len < 2 ? "" : type != ParamType.INT16 && fmt != ParamFormat.HEX
                        && fmt != ParamFormat.OCT ? Long.toString(num(d, off, 2, false)) : numeric(num(d, off, 2, true), 16, true, fmt));
            case INT32, UINT32, BOOL, FD32, PID32:
                return Formatted.of(len < 4 ? "" : numeric(num(d, off, 4, true), 32, true, fmt));
            case INT64, UINT64:
                return Formatted.of(len < 8 ? "" : numeric(num(d, off, 8, true), 64, true, fmt));
            case FD:
                return fd(e, len < 8 ? 0 : num(d, off, 8, true));
            case PID: {
                long pid = len < 8 ? 0 : num(d, off, 8, true);
                ThreadInfo p = e.state().thread(pid);
                return new Formatted(Long.toString(pid), p == null ? "" : p.comm());
            }
            case ERRNO: {
                long v = len < 8 ? 0 : num(d, off, 8, true);
                String name = v < 0 ? EventTable.get().errnoName((int) -v) : null;
                return new Formatted(Long.toString(v), name == null ? "" : name);
            }
            case CHARBUF:
                return Formatted.of(cstring(d, off, len));
            case FSPATH, FSRELPATH:
                return path(e, pi, d, off, len);
            case BYTEBUF:
                return Formatted.of(dots(d, off, len));
            case SOCKADDR:
                return Formatted.of(sockaddr(d, off, len));
            case SOCKTUPLE:
                return Formatted.of(socktuple(d, off, len));
            case FDLIST:
                return Formatted.of(fdlist(t, d, off, len));
            case SYSCALLID: {
                int id = (int) num(d, off, Math.min(len, 2), false);
                return new Formatted(Integer.toString(id), EventTable.get().syscallName(id));
            }
            case SIGTYPE: {
                int sig = len < 1 ? 0 : d[off] & 0xFF;
                String name = EventTable.get().signalName(sig);
                return new Formatted(Integer.toString(sig), name == null ? "" : name);
            }
            case RELTIME: {
                long v = len < 8 ? 0 : num(d, off, 8, true);
                if (v == -1) {
                    return Formatted.of("none");
                }
                return new Formatted(Long.toUnsignedString(v), cFormatG(v / 1e9) + "s");
            }
            case FLAGS8, FLAGS16, FLAGS32: {
                int bits = type == ParamType.FLAGS8 ? 8 : type == ParamType.FLAGS16 ? 16 : 32;
                long v = num(d, off, Math.min(len, bits / 8), false);
                return new Formatted(Long.toString(v), flagNames(pi.flagTable(), v));
            }
            case ENUMFLAGS8, ENUMFLAGS16, ENUMFLAGS32: {
                int bits = type == ParamType.ENUMFLAGS8 ? 8 : type == ParamType.ENUMFLAGS16 ? 16 : 32;
                long v = num(d, off, Math.min(len, bits / 8), false);
                String name = "";
                for (Map.Entry<String, Long> f : EventTable.get().flagTable(pi.flagTable())) {
                    if (f.getValue() == v) {
                        name = f.getKey();
                        break;
                    }
                }
                return new Formatted(Long.toString(v), name);
            }
            case MODE: {
                long v = num(d, off, Math.min(len, 4), false);
                return new Formatted(numeric(v, 32, false, fmt), flagNames(pi.flagTable(), v));
            }
            case UID, GID: {
                long v = num(d, off, Math.min(len, 4), false);
                if (v == 0xFFFFFFFFL) {
                    return new Formatted("-1", "<NONE>");
                }
                String name;
                if (type == ParamType.UID) {
                    UserEntry u = e.state().user((int) v);
                    name = u == null ? "<NA>" : Paths.sanitize(u.name());
                } else {
                    GroupEntry g = e.state().group((int) v);
                    name = g == null ? "<NA>" : Paths.sanitize(g.name());
                }
                return new Formatted(Integer.toString((int) v), name);
            }
            case SIGSET: {
                long v = num(d, off, Math.min(len, 4), false);
                StringBuilder sb = new StringBuilder();
                for (int sig = 0; sig < 32; sig++) {
                    if ((v & (1L << sig)) != 0) {
                        String name = EventTable.get().signalName(sig + 1);
                        if (name != null) {
                            if (sb.length() > 0) {
                                sb.append(' ');
                            }
                            sb.append(name);
                        }
                    }
                }
                return Formatted.of(sb.toString());
            }
            case CHARBUFARRAY, CHARBUF_PAIR_ARRAY:
                return Formatted.of(dots(d, off, len));
            case IPV4ADDR, IPV6ADDR:
                return Formatted.of(len == 4 || len == 16 ? Net.ip(java.util.Arrays.copyOfRange(d, off, off + len)) : "");
            case ABSTIME, DYN:
                return Formatted.of("INVALID DYNAMIC PARAMETER");
            default:
                return Formatted.of("(n.a.)");
        }
    }

    /** sysdig's render_fd: the number, resolved to {@code <type[proto]>name} from the thread's fd table. */
    static Formatted fd(Event e, long fd) {
        ThreadInfo t = e.thread();
        String value = Long.toString(fd);
        if (t == null) {
            return Formatted.of(value);
        }
        if (fd >= 0) {
            FdInfo fi = t.fd(fd);
            if (fi != null) {
                StringBuilder sb = new StringBuilder("<").append(fi.typeChar());
                char p = fi.protoChar();
                if (p != 0) {
                    sb.append(p);
                }
                sb.append('>').append(Paths.sanitize(fi.name()));
                return new Formatted(value, sb.toString());
            }
            return Formatted.of(value);
        }
        if (fd == AT_FDCWD) {
            return new Formatted(value, "AT_FDCWD");
        }
        String err = EventTable.get().errnoName((int) -fd);
        return new Formatted(value, err == null ? "" : err);
    }

    private static Formatted path(Event e, ParamInfo pi, byte[] d, int off, int len) {
        String raw = cstring(d, off, len);
        String value = Paths.sanitize(raw);
        ThreadInfo t = e.thread();
        if (t == null || len == 0 || raw.startsWith("<NA>")) {
            return Formatted.of(value);
        }
        if (Paths.isAbsolute(raw) && !raw.isEmpty()) {
            return Formatted.of(value); // sysdig shows no resolved form for absolute paths
        }
        String base = baseDir(e, pi, t);
        return new Formatted(value, Paths.concatenate(base, raw));
    }

    /** sysdig's get_base_dir: the cwd, or the directory of the dirfd for *at syscalls. */
    private static String baseDir(Event e, ParamInfo pi, ThreadInfo t) {
        String cwd = t.cwd();
        if (pi.type() != ParamType.FSRELPATH || pi.dirfdIndex() < 0 || pi.dirfdIndex() >= e.raw().nparams()) {
            return cwd;
        }
        ParamInfo dpi = e.paramInfo(pi.dirfdIndex());
        if (dpi == null || dpi.type() != ParamType.FD) {
            return cwd;
        }
        long dirfd = e.raw().integer(pi.dirfdIndex(), true);
        if (dirfd == AT_FDCWD) {
            return cwd;
        }
        FdInfo fi = t.fd(dirfd);
        if (fi == null || fi.name().isEmpty()) {
            return "";
        }
        return Paths.sanitize(fi.name()) + "/";
    }

    /** A C string: bytes up to the first NUL. */
    static String cstring(byte[] d, int off, int len) {
        int end = off;
        while (end < off + len && d[end] != 0) {
            end++;
        }
        return new String(d, off, end - off, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** sysdig's binary_buffer_to_string_dots, truncated to 80 characters with "...". */
    static String dots(byte[] d, int off, int len) {
        int n = Math.min(len, MAX_BUFFER_OUTPUT + 1);
        char[] out = new char[n];
        for (int k = 0; k < n; k++) {
            int c = d[off + k] & 0xFF;
            out[k] = c >= 0x20 && c < 0x7f ? (char) c : '.';
        }
        if (len > MAX_BUFFER_OUTPUT) {
            out[MAX_BUFFER_OUTPUT - 3] = '.';
            out[MAX_BUFFER_OUTPUT - 2] = '.';
            out[MAX_BUFFER_OUTPUT - 1] = '.';
            return new String(out, 0, MAX_BUFFER_OUTPUT);
        }
        return new String(out);
    }

    /** The whole buffer with non-printables as dots (no truncation). */
    static String dotsFull(byte[] d, int off, int len) {
        char[] out = new char[len];
        for (int k = 0; k < len; k++) {
            int c = d[off + k] & 0xFF;
            out[k] = c >= 0x20 && c < 0x7f ? (char) c : '.';
        }
        return new String(out);
    }

    static String flagNames(String table, long value) {
        List<Map.Entry<String, Long>> flags = EventTable.get().flagTable(table);
        if (flags.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        long val = value;
        int k = 0;
        for (; k < flags.size() && flags.get(k).getValue() != value; k++) {
            long fv = flags.get(k).getValue();
            if ((fv == 0 && value == 0) || (fv != 0 && (val & fv) == fv && val != 0)) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(flags.get(k).getKey());
                val &= ~fv;
            }
        }
        if (k < flags.size()) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(flags.get(k).getKey());
        }
        return sb.toString();
    }

    private static int u16(byte[] d, int off) {
        return (d[off] & 0xFF) | (d[off + 1] & 0xFF) << 8;
    }

    static String sockaddr(byte[] d, int off, int len) {
        if (len == 0) {
            return "NULL";
        }
        int family = d[off];
        if (family == 1) {
            return Paths.sanitize(cstring(d, off + 1, len - 1));
        }
        if (family == 2) {
            if (len != 7) {
                return "INVALID IPv4";
            }
            return Net.ip(java.util.Arrays.copyOfRange(d, off + 1, off + 5)) + ":" + u16(d, off + 5);
        }
        if (family == 10) {
            if (len != 19) {
                return "INVALID IPv6";
            }
            return Net.ip(java.util.Arrays.copyOfRange(d, off + 1, off + 17)) + ":" + u16(d, off + 17);
        }
        return "family " + family;
    }

    static String socktuple(byte[] d, int off, int len) {
        if (len == 0) {
            return "NULL";
        }
        int family = d[off];
        if (family == 2) {
            if (len != 13) {
                return "INVALID IPv4";
            }
            return Net.ip(java.util.Arrays.copyOfRange(d, off + 1, off + 5)) + ":" + u16(d, off + 5) + "->"
                    + Net.ip(java.util.Arrays.copyOfRange(d, off + 7, off + 11)) + ":" + u16(d, off + 11);
        }
        if (family == 10) {
            if (len != 37) {
                return "INVALID IPv6";
            }
            if (Net.isIpv4Mapped(d, off + 1) && Net.isIpv4Mapped(d, off + 19)) {
                return Net.ip(java.util.Arrays.copyOfRange(d, off + 13, off + 17)) + ":" + u16(d, off + 17) + "->"
                        + Net.ip(java.util.Arrays.copyOfRange(d, off + 31, off + 35)) + ":" + u16(d, off + 35);
            }
            return Net.ip(java.util.Arrays.copyOfRange(d, off + 1, off + 17)) + ":" + u16(d, off + 17) + "->"
                    + Net.ip(java.util.Arrays.copyOfRange(d, off + 19, off + 35)) + ":" + u16(d, off + 35);
        }
        if (family == 1) {
            if (len < 17) {
                return "family 1";
            }
            long src = num(d, off + 1, 8, false);
            long dst = num(d, off + 9, 8, false);
            return Long.toHexString(src) + "->" + Long.toHexString(dst) + " " + Paths.sanitize(cstring(d, off + 17, len - 17));
        }
        return "family " + family;
    }

    private static String fdlist(ThreadInfo t, byte[] d, int off, int len) {
        if (t == null || len < 2) {
            return "";
        }
        int n = u16(d, off);
        StringBuilder sb = new StringBuilder();
        int pos = off + 2;
        for (int j = 0; j < n && pos + 10 <= off + len; j++) {
            long fd = num(d, pos, 8, true);
            FdInfo fi = t.fd(fd);
            char tc = fi == null ? '?' : fi.typeChar();
            int fl = (short) u16(d, pos + 8);
            sb.append(Long.toUnsignedString(fd)).append(':').append(tc).append(Integer.toHexString(fl));
            if (j < n - 1) {
                sb.append(' ');
            }
            pos += 10;
        }
        return sb.toString();
    }

    /** C's %lg: 6 significant digits, trailing zeros removed, exponent form outside 1e-5..1e6. */
    static String cFormatG(double v) {
        if (v == 0) {
            return "0";
        }
        int exp = (int) Math.floor(Math.log10(Math.abs(v)));
        String s;
        if (exp < -4 || exp >= 6) {
            s = String.format(java.util.Locale.ROOT, "%.5e", v);
            String mant = s.substring(0, s.indexOf('e'));
            String ex = s.substring(s.indexOf('e') + 1);
            if (mant.contains(".")) {
                mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            int e = Integer.parseInt(ex);
            return mant + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
        }
        s = String.format(java.util.Locale.ROOT, "%." + Math.max(0, 5 - exp) + "f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
