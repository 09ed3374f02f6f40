package dev.stasis.capture.filter;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The compiled left side of a check (or the inside of {@code val()}): a field, a
 * constant, a list, or a multi-argument transformer (join, concat, getopt), with
 * the one-argument transformers around it applied innermost first, and the type
 * they leave the value in (libsinsp's transformer type rules). A list operand
 * (libsinsp's EPF_IS_LIST: a transformer list, getopt without a selector) yields
 * a {@link ListOf}.
 */
final class Operand {
    /** The values of a list operand; only exists/in/intersects compare them (libsinsp's list filters). */
    record ListOf(List<Object> values) {}

    private interface Source {
        /** The value, or null when the operand has none on this event. */
        Object eval(EventView e);
    }

    private final BoundField field;
    private final Source source;
    private final List<String> transformers;
    private final FieldType type;
    private final boolean list;
    private final String text;
    private final Set<String> fieldTexts;

    private Operand(BoundField field, Source source, List<String> transformers, FieldType type, boolean list,
            String text, Set<String> fieldTexts) {
        this.field = field;
        this.source = source;
        this.transformers = transformers;
        this.type = type;
        this.list = list;
        this.text = text;
        this.fieldTexts = fieldTexts;
    }

    static Operand compile(Expr.Operand op, FieldRegistry registry) {
        List<String> chain = new ArrayList<>();
        Expr.Operand cur = op;
        while (cur instanceof Expr.Transform t) {
            chain.add(0, t.function());
            cur = t.inner();
        }
        Operand base = base(cur, registry);
        FieldType type = base.type;
        boolean isList = base.list;
        for (String t : chain) {
            type = switch (t) {
                case "tolower", "toupper", "basename" -> {
                    if (type != FieldType.STRING)
                        throw new FilterException("transformer '" + t + "' needs a string field, not '"
                                + base.text + "'", op.column());
                    yield FieldType.STRING;
                }
                case "b64" -> {
                    if (type != FieldType.STRING && type != FieldType.BYTES)
                        throw new FilterException("transformer 'b64' needs a string or buffer field", op.column());
                    yield type;
                }
                case "len" -> {
                    // libsinsp's len of a list is its number of items, which is no longer a list.
                    if (!isList && type != FieldType.STRING && type != FieldType.BYTES)
                        throw new FilterException("transformer 'len' needs a string or buffer field", op.column());
                    isList = false;
                    yield FieldType.UINT;
                }
                default -> throw new FilterException("unknown transformer '" + t + "'", op.column());
            };
        }
        String text = base.text;
        for (String t : chain) text = t + "(" + text + ")";
        return new Operand(base.field, base.source, List.copyOf(chain), type, isList, text, base.fieldTexts);
    }

    private static Operand base(Expr.Operand op, FieldRegistry registry) {
        return switch (op) {
            case Expr.Field f -> {
                BoundField bound = registry.resolve(f.name(), f.arg(), f.column());
                yield new Operand(bound, bound::extract, List.of(), bound.type(), false, bound.text(),
                        Set.of(bound.text()));
            }
            case Expr.Const c -> {
                String value = c.text();
                // libsinsp: a literal argument is a rawstring_check, a string whatever it looks like.
                yield new Operand(null, e -> value, List.of(), FieldType.STRING, false, '"' + value + '"', Set.of());
            }
            case Expr.OperandList l -> list(l, registry);
            case Expr.Call call -> MultiTransformer.compile(call, registry);
            case Expr.Transform t -> compile(t, registry);
        };
    }

    /** A transformer list: every item's values, flattened; no value when an item has none (libsinsp list_check). */
    private static Operand list(Expr.OperandList l, FieldRegistry registry) {
        List<Operand> items = new ArrayList<>();
        Set<String> fields = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>();
        for (Expr.Operand item : l.items()) {
            Operand o = compile(item, registry);
            items.add(o);
            fields.addAll(o.fieldTexts);
            texts.add(o.text);
        }
        Operand[] kids = items.toArray(Operand[]::new);
        Source source = e -> {
            List<Object> out = new ArrayList<>(kids.length);
            for (Operand k : kids) {
                Object v = k.eval(e);
                if (v == null) return null;
                flatten(v, out);
            }
            return new ListOf(out);
        };
        return new Operand(null, source, List.of(), FieldType.STRING, true, "(" + String.join(", ", texts) + ")",
                Set.copyOf(fields));
    }

    /** Appends a value's items as strings (libsinsp converts numbers in lists with rawnum_check). */
    static void flatten(Object v, List<Object> out) {
        switch (v) {
            case ListOf l -> l.values().forEach(x -> flatten(x, out));
            case AnyOf a -> a.values().forEach(x -> flatten(x, out));
            default -> out.add(text(v));
        }
    }

    /** A value as libsinsp's string conversion writes it. */
    static String text(Object v) {
        return switch (v) {
            case String s -> s;
            case InetAddress a -> FieldValues.ip(a);
            case byte[] b -> new String(b, StandardCharsets.UTF_8);
            case AnyOf a -> a.values().isEmpty() ? "" : text(a.values().get(0));
            default -> v.toString();
        };
    }

    /** Internal: an operand made by a multi-argument transformer. */
    static Operand of(String text, FieldType type, boolean list, Set<String> fieldTexts, java.util.function.Function<EventView, Object> f) {
        return new Operand(null, f::apply, List.of(), type, list, text, fieldTexts);
    }

    FieldType type() {
        return type;
    }

    /** The value is a list (libsinsp's EPF_IS_LIST): only exists, in and intersects apply. */
    boolean isList() {
        return list;
    }

    /** No transformers: the field's own value. */
    boolean plain() {
        return transformers.isEmpty() && field != null;
    }

    /** The field when the operand is a field (under one-argument transformers), else null. */
    BoundField field() {
        return field;
    }

    /** The operand as written, for messages. */
    String text() {
        return text;
    }

    /** The fields the operand reads, as written. */
    Set<String> fieldTexts() {
        return fieldTexts;
    }

    /** The value after transformers, or null when the field has none on this event. */
    Object eval(EventView e) {
        // A field reads its extractor directly: the hot path of filtered reads keeps one call less.
        Object v = field != null ? field.extract(e) : source.eval(e);
        if (v == null || transformers.isEmpty()) return v;
        if (v instanceof ListOf l) return transformList(l);
        if (v instanceof AnyOf any) {
            List<Object> out = new ArrayList<>();
            for (Object x : any.values()) {
                Object t = transform(x, 0);
                if (t != null) out.add(t);
            }
            return out.isEmpty() ? null : new AnyOf(out, any.allMustDiffer());
        }
        return transform(v, 0);
    }

    /** Item by item, until a len turns the list into its length. */
    private Object transformList(ListOf l) {
        List<Object> items = l.values();
        for (int i = 0; i < transformers.size(); i++) {
            if (transformers.get(i).equals("len")) {
                Object n = (long) items.size();
                return transform(n, i + 1);
            }
            List<Object> out = new ArrayList<>(items.size());
            for (Object x : items) {
                Object t = apply(transformers.get(i), x);
                if (t == null) return null;
                out.add(t);
            }
            items = out;
        }
        return new ListOf(items);
    }

    private Object transform(Object v, int from) {
        for (int i = from; i < transformers.size(); i++) {
            if (v == null) return null;
            v = apply(transformers.get(i), v);
        }
        return v;
    }

    private static Object apply(String t, Object v) {
        return switch (t) {
            case "tolower" -> ((String) v).toLowerCase(Locale.ROOT);
            case "toupper" -> ((String) v).toUpperCase(Locale.ROOT);
            case "basename" -> PathNames.basename((String) v);
            case "len" -> (long) (v instanceof byte[] b ? b.length : ((String) v).getBytes(StandardCharsets.UTF_8).length);
            case "b64" -> decodeBase64(v);
            default -> v;
        };
    }

    /** libsinsp's b64 decodes; a value that is not base64 has no value. */
    private static Object decodeBase64(Object v) {
        try {
            if (v instanceof byte[] b) return Base64.getDecoder().decode(b);
            return new String(Base64.getDecoder().decode(((String) v).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
