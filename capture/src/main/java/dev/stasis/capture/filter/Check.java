package dev.stasis.capture.filter;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One compiled comparison {@code field op value}. The right-hand side is parsed
 * once, at compile time, into the field's type; an operator the type does not
 * support, or a value that does not parse as the type, is a compile error, as
 * in libsinsp (e.g. {@code proc.pid = abc}).
 */
final class Check {
    enum Op {
        EQ, NE, LT, LE, GT, GE, CONTAINS, ICONTAINS, BCONTAINS, STARTSWITH, BSTARTSWITH, ENDSWITH, GLOB, IGLOB,
        REGEX, IN, INTERSECTS, PMATCH, EXISTS;

        static Op of(String text) {
            return switch (text) {
                case "=", "==" -> EQ;
                case "!=" -> NE;
                case "<" -> LT;
                case "<=" -> LE;
                case ">" -> GT;
                case ">=" -> GE;
                case "exists" -> EXISTS;
                default -> valueOf(text.toUpperCase(Locale.ROOT));
            };
        }

        boolean isList() {
            return this == IN || this == INTERSECTS || this == PMATCH;
        }
    }

    /** libsinsp's string operator modifiers: {@code op oneof|anyof|allof (list)}. */
    enum Mod { NONE, ONEOF, ANYOF, ALLOF }

    private final Operand lhs;
    private final Op op;
    private final Mod mod;
    private final FieldType type;
    /** The parsed right side: one value, or several for list operators. */
    private final List<Object> values;
    private final Set<Object> valueSet;
    private final List<String> rawValues;
    private final List<Pattern> globs;
    /** For regex against a literal: the compiled pattern (matched against the whole value, as RE2's ANCHOR_BOTH). */
    private final Pattern regex;
    private final Operand rhsField;
    /** For string = != in against literals (the common case): the values as strings, else null. */
    private final String single;
    private final Set<String> strings;

    private Check(Operand lhs, Op op, Mod mod, List<Object> values, List<String> rawValues, Operand rhsField) {
        this.lhs = lhs;
        this.op = op;
        this.mod = mod;
        this.type = lhs.type();
        this.values = values;
        this.rawValues = rawValues;
        this.rhsField = rhsField;
        Set<Object> set = new HashSet<>();
        for (Object v : values) set.add(key(v));
        this.valueSet = set;
        List<Pattern> g = new ArrayList<>();
        if (op == Op.GLOB || op == Op.IGLOB) {
            for (Object v : values) g.add(Glob.compile((String) v, op == Op.IGLOB));
        }
        this.globs = g;
        this.regex = op == Op.REGEX && rhsField == null && !values.isEmpty() ? (Pattern) values.get(0) : null;
        boolean plainStrings = rhsField == null && mod == Mod.NONE && !lhs.isList() && type == FieldType.STRING
                && (op == Op.EQ || op == Op.NE || op == Op.IN) && !values.isEmpty();
        if (plainStrings) {
            Set<String> ss = new HashSet<>();
            for (Object v : values) ss.add((String) v);
            this.strings = Set.copyOf(ss);
            this.single = (String) values.get(0);
        } else {
            this.strings = null;
            this.single = null;
        }
    }

    Op op() {
        return op;
    }

    /** The check has a oneof/anyof/allof modifier. */
    boolean modified() {
        return mod != Mod.NONE;
    }

    static Check exists(Operand lhs) {
        return new Check(lhs, Op.EXISTS, Mod.NONE, List.of(), List.of(), null);
    }

    static Check compile(Operand lhs, String opText, Expr.Value rhs, FieldRegistry registry) {
        int blank = opText.indexOf(' ');
        Op op = Op.of(blank < 0 ? opText : opText.substring(0, blank));
        Mod mod = blank < 0 ? Mod.NONE : Mod.valueOf(opText.substring(blank + 1).toUpperCase(Locale.ROOT));
        FieldType type = lhs.type();
        String field = lhs.text();
        if (lhs.isList() && op != Op.EXISTS && op != Op.IN && op != Op.INTERSECTS)
            throw new FilterException("list filter '" + field + "' only supports operators 'exists', 'in' and 'intersects'",
                    rhs.column());
        if (mod != Mod.NONE && type.ip() && op != Op.EQ && op != Op.NE)
            throw new FilterException("'" + opText + "' with modifier not supported for ip address and network filters",
                    rhs.column());
        checkSupported(type, op, field, rhs.column());
        if (rhs instanceof Expr.FieldValue fv) {
            Operand other = Operand.compile(fv.operand(), registry);
            return new Check(lhs, op, mod, List.of(), List.of(), other);
        }
        List<String> texts = new ArrayList<>();
        switch (rhs) {
            case Expr.Literal l -> texts.add(l.text());
            case Expr.ListValue list -> list.items().forEach(i -> texts.add(i.text()));
            default -> throw new IllegalStateException();
        }
        if (!op.isList() && mod == Mod.NONE && texts.size() != 1)
            throw new FilterException("operator '" + opText + "' takes one value, not a list", rhs.column());
        List<Object> parsed = new ArrayList<>();
        for (String t : texts) parsed.add(parse(type, op, t, field, rhs.column()));
        return new Check(lhs, op, mod, parsed, texts, null);
    }

    private static void checkSupported(FieldType type, Op op, String field, int column) {
        if (op == Op.EXISTS) return;
        boolean ok = switch (type) {
            case INT, UINT, PORT, RELTIME, ABSTIME, PADDED_TIME -> switch (op) {
                case EQ, NE, LT, LE, GT, GE, IN, INTERSECTS -> true;
                default -> false;
            };
            case BOOL -> op == Op.EQ || op == Op.NE || op == Op.IN || op == Op.INTERSECTS;
            case IPADDR, IPNET -> op == Op.EQ || op == Op.NE || op == Op.IN || op == Op.INTERSECTS;
            case STRING -> op != Op.BCONTAINS && op != Op.BSTARTSWITH;
            case BYTES -> switch (op) {
                case EQ, NE, CONTAINS, IN, STARTSWITH, ENDSWITH, INTERSECTS, BCONTAINS, BSTARTSWITH -> true;
                default -> false;
            };
            case DYNAMIC -> true;
        };
        if (!ok) {
            String kind = switch (type) {
                case STRING -> "string";
                case BYTES -> "buffer";
                case IPADDR, IPNET -> "ip address and network";
                default -> "numeric";
            };
            throw new FilterException("'" + op.name().toLowerCase(Locale.ROOT) + "' operator not supported for "
                    + kind + " field '" + field + "'", column);
        }
    }

    private static Object parse(FieldType type, Op op, String text, String field, int column) {
        if (op == Op.REGEX) return Re2Syntax.compile(text, column);
        switch (type) {
            case INT, UINT, PORT, RELTIME, ABSTIME, PADDED_TIME -> {
                Long n = parseNumber(text);
                if (n == null) throw new FilterException(field + " is not a valid number: '" + text + "'", column);
                return n;
            }
            case BOOL -> {
                return switch (text) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new FilterException(field + " takes true or false, not '" + text + "'", column);
                };
            }
            case IPADDR -> {
                // libsinsp parses a value with a '.' as IPv4: ::ffff:a.b.c.d is refused
                byte[] a = text.indexOf('.') >= 0 && text.indexOf(':') >= 0 ? null : Cidr.parseAddress(text);
                if (a == null) throw new FilterException("unrecognized IP address '" + text + "'", column);
                return address(a);
            }
            case IPNET -> {
                Cidr c = Cidr.parse(text);
                if (c == null) throw new FilterException("unrecognized IP network '" + text + "'", column);
                return c;
            }
            case BYTES -> {
                if (op == Op.BCONTAINS || op == Op.BSTARTSWITH) {
                    try {
                        return HexFormat.of().parseHex(text);
                    } catch (IllegalArgumentException e) {
                        throw new FilterException("'" + text + "' is not a hex string", column);
                    }
                }
                return text.getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                if ((op == Op.BCONTAINS || op == Op.BSTARTSWITH) && type == FieldType.DYNAMIC) {
                    try {
                        return HexFormat.of().parseHex(text);
                    } catch (IllegalArgumentException e) {
                        throw new FilterException("'" + text + "' is not a hex string", column);
                    }
                }
                return text;
            }
        }
    }

    static Long parseNumber(String text) {
        try {
            String t = text.strip();
            if (t.startsWith("0x") || t.startsWith("0X")) return Long.parseUnsignedLong(t.substring(2), 16);
            if (t.startsWith("+")) t = t.substring(1);
            if (t.startsWith("-")) return Long.parseLong(t);
            return Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static InetAddress address(byte[] a) {
        try {
            // an IPv6 value stays 16 bytes even when IPv4-mapped (libsinsp compares by the bytes it parsed)
            return a.length == 16 ? java.net.Inet6Address.getByAddress(null, a, -1) : InetAddress.getByAddress(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Values as hash keys: byte arrays by content, addresses by bytes. */
    private static Object key(Object v) {
        if (v instanceof byte[] b) return HexFormat.of().formatHex(b);
        if (v instanceof InetAddress a) return HexFormat.of().formatHex(a.getAddress());
        return v;
    }

    boolean test(EventView e) {
        Object v = lhs.eval(e);
        if (v == null) return false;
        if (strings != null && v instanceof String s) {
            return switch (op) {
                case EQ -> s.equals(single);
                case NE -> !s.equals(single);
                default -> strings.contains(s);
            };
        }
        if (op == Op.EXISTS) return true;
        List<Object> rhs = values;
        if (rhsField != null) {
            Object r = rhsField.eval(e);
            if (r == null) return false;
            rhs = r instanceof AnyOf any ? any.values() : r instanceof Operand.ListOf l ? l.values() : List.of(r);
        }
        if (v instanceof Operand.ListOf l) {
            // libsinsp list filters: in = every item is in the set, intersects = some item is.
            for (Object x : l.values()) {
                boolean found = one(x, rhs);
                if (op == Op.IN && !found) return false;
                if (op == Op.INTERSECTS && found) return true;
            }
            return op == Op.IN;
        }
        if (v instanceof AnyOf any) {
            if (any.allMustDiffer() && op == Op.NE) {
                for (Object x : any.values()) if (!one(x, rhs)) return false;
                return true;
            }
            for (Object x : any.values()) if (one(x, rhs)) return true;
            return false;
        }
        return one(v, rhs);
    }

    private boolean one(Object v, List<Object> rhs) {
        if (op.isList()) {
            if (op == Op.PMATCH) {
                String s = v.toString();
                for (Object p : rhs) if (pathPrefix(s, p.toString())) return true;
                return false;
            }
            if (rhsField == null && type != FieldType.IPNET && type != FieldType.DYNAMIC) return valueSet.contains(key(v));
            for (Object r : rhs) if (compare(Op.EQ, v, r)) return true;
            return false;
        }
        if (rhs.isEmpty()) return false;
        if (mod != Mod.NONE) return modified(v, rhs);
        if ((op == Op.GLOB || op == Op.IGLOB) && rhsField == null) return globs.get(0).matcher(v.toString()).matches();
        if (op == Op.REGEX && regex != null) return v instanceof String s && regex.matcher(s).matches();
        return compare(op, v, rhs.get(0));
    }

    /**
     * libsinsp's compare_rhs_with_mod: oneof = exactly one list value matches, anyof = at least
     * one, allof = every one (sinsp_filtercheck.cpp matches_one_rhs/matches_any_rhs/matches_all_rhs).
     */
    private boolean modified(Object v, List<Object> rhs) {
        int matches = 0;
        for (int i = 0; i < rhs.size(); i++) {
            boolean m;
            if (op == Op.GLOB || op == Op.IGLOB) m = globs.get(i).matcher(v.toString()).matches();
            else if (op == Op.REGEX) m = v instanceof String s && ((Pattern) rhs.get(i)).matcher(s).matches();
            else m = compare(op, v, rhs.get(i));
            switch (mod) {
                case ANYOF -> {
                    if (m) return true;
                }
                case ALLOF -> {
                    if (!m) return false;
                }
                default -> {
                    if (m && ++matches > 1) return false;
                }
            }
        }
        return switch (mod) {
            case ANYOF -> false;
            case ALLOF -> true;
            default -> matches == 1;
        };
    }

    private static boolean pathPrefix(String value, String prefix) {
        if (prefix.length() > 1 && prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
        if (prefix.equals("/")) return value.startsWith("/");
        return value.equals(prefix) || value.startsWith(prefix + "/");
    }

    /** Compares an event value with one right-hand value; mismatched kinds compare unequal. */
    private boolean compare(Op o, Object v, Object r) {
        if (r instanceof Cidr c) {
            if (!(v instanceof InetAddress a)) return o == Op.NE;
            boolean in = c.contains(a);
            return o == Op.NE ? !in : in;
        }
        if (v instanceof Long a) {
            Long b = r instanceof Long l ? l : r instanceof String s ? parseNumber(s) : null;
            if (b == null) return o == Op.NE;
            int cmp = type == FieldType.UINT || type == FieldType.ABSTIME ? Long.compareUnsigned(a, b) : Long.compare(a, b);
            return ordered(o, cmp);
        }
        if (v instanceof Boolean a) {
            Boolean b = r instanceof Boolean x ? x : r instanceof String s ? (Boolean) Boolean.parseBoolean(s) : null;
            return o == Op.NE ? !a.equals(b) : a.equals(b);
        }
        if (v instanceof InetAddress a) {
            byte[] b = r instanceof InetAddress x ? x.getAddress() : r instanceof String s ? Cidr.parseAddress(s) : null;
            byte[] f = a.getAddress();
            // libsinsp's flt_compare reads both sides at the field's size: an IPv4 value against the first
            // 4 bytes of an IPv6 operand (so 0.0.0.0 equals ::1), an IPv6 value against an IPv4 operand
            // followed by the zeros of its storage
            boolean eq = b != null && (f.length == b.length ? Arrays.equals(f, b)
                    : f.length == 4 ? Arrays.equals(f, 0, 4, b, 0, 4) : Arrays.equals(f, Arrays.copyOf(b, f.length)));
            return o == Op.NE ? !eq : eq;
        }
        if (v instanceof byte[] a) {
            byte[] b = r instanceof byte[] x ? x : r.toString().getBytes(StandardCharsets.UTF_8);
            return switch (o) {
                case EQ, IN, INTERSECTS -> Arrays.equals(a, b);
                case NE -> !Arrays.equals(a, b);
                case CONTAINS, BCONTAINS -> indexOf(a, b) >= 0;
                case STARTSWITH, BSTARTSWITH -> b.length <= a.length && Arrays.equals(a, 0, b.length, b, 0, b.length);
                case ENDSWITH -> b.length <= a.length && Arrays.equals(a, a.length - b.length, a.length, b, 0, b.length);
                default -> false;
            };
        }
        String a = v.toString();
        String b = r instanceof InetAddress x ? FieldValues.ip(x) : r instanceof byte[] x
                ? new String(x, StandardCharsets.UTF_8) : r.toString();
        return switch (o) {
            case EQ, IN, INTERSECTS -> a.equals(b);
            case NE -> !a.equals(b);
            case LT, LE, GT, GE -> ordered(o, compareBytes(a, b));
            case CONTAINS -> a.contains(b);
            case ICONTAINS -> a.toLowerCase(Locale.ROOT).contains(b.toLowerCase(Locale.ROOT));
            case STARTSWITH -> a.startsWith(b);
            case ENDSWITH -> a.endsWith(b);
            case GLOB -> Glob.compile(b, false).matcher(a).matches();
            case REGEX -> v instanceof String && regexOf(b).matcher(a).matches();
            case IGLOB -> Glob.compile(b, true).matcher(a).matches();
            case BCONTAINS -> indexOf(a.getBytes(StandardCharsets.UTF_8), r instanceof byte[] x ? x : b.getBytes(StandardCharsets.UTF_8)) >= 0;
            case BSTARTSWITH -> {
                byte[] ab = a.getBytes(StandardCharsets.UTF_8);
                byte[] bb = r instanceof byte[] x ? x : b.getBytes(StandardCharsets.UTF_8);
                yield bb.length <= ab.length && Arrays.equals(ab, 0, bb.length, bb, 0, bb.length);
            }
            default -> false;
        };
    }

    /** A pattern taken from another field's value (val()): compiled per event; not RE2 syntax matches nothing. */
    private static Pattern regexOf(String text) {
        try {
            return Re2Syntax.compile(text, 0);
        } catch (FilterException e) {
            return Pattern.compile("(?!)");
        }
    }

    private static boolean ordered(Op o, int cmp) {
        return switch (o) {
            case EQ, IN, INTERSECTS -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
            default -> false;
        };
    }

    /** strcmp order: by UTF-8 bytes, unsigned. */
    private static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    List<String> rawValues() {
        return rawValues;
    }
}
