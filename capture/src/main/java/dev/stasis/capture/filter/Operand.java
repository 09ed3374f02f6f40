package dev.stasis.capture.filter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The compiled left side of a check (or the inside of {@code val()}): a field
 * and the transformers around it, applied innermost first, with the type
 * they leave the value in (libsinsp's transformer type rules).
 */
final class Operand {
    private final BoundField field;
    private final List<String> transformers;
    private final FieldType type;

    private Operand(BoundField field, List<String> transformers, FieldType type) {
        this.field = field;
        this.transformers = transformers;
        this.type = type;
    }

    static Operand compile(Expr.Operand op, FieldRegistry registry) {
        List<String> chain = new ArrayList<>();
        Expr.Operand cur = op;
        while (cur instanceof Expr.Transform t) {
            chain.add(0, t.function());
            cur = t.inner();
        }
        Expr.Field f = (Expr.Field) cur;
        BoundField bound = registry.resolve(f.name(), f.arg(), f.column());
        FieldType type = bound.type();
        for (String t : chain) {
            type = switch (t) {
                case "tolower", "toupper", "basename" -> {
                    if (type != FieldType.STRING)
                        throw new FilterException("transformer '" + t + "' needs a string field, not '"
                                + bound.text() + "'", op.column());
                    yield FieldType.STRING;
                }
                case "b64" -> {
                    if (type != FieldType.STRING && type != FieldType.BYTES)
                        throw new FilterException("transformer 'b64' needs a string or buffer field", op.column());
                    yield type;
                }
                case "len" -> {
                    if (type != FieldType.STRING && type != FieldType.BYTES)
                        throw new FilterException("transformer 'len' needs a string or buffer field", op.column());
                    yield FieldType.UINT;
                }
                default -> throw new FilterException("unknown transformer '" + t + "'", op.column());
            };
        }
        return new Operand(bound, List.copyOf(chain), type);
    }

    FieldType type() {
        return type;
    }

    /** No transformers: the field's own value. */
    boolean plain() {
        return transformers.isEmpty();
    }

    BoundField field() {
        return field;
    }

    /** The value after transformers, or null when the field has none on this event. */
    Object eval(EventView e) {
        Object v = field.extract(e);
        if (v == null || transformers.isEmpty()) return v;
        if (v instanceof AnyOf any) {
            List<Object> out = new ArrayList<>();
            for (Object x : any.values()) {
                Object t = transform(x);
                if (t != null) out.add(t);
            }
            return out.isEmpty() ? null : new AnyOf(out, any.allMustDiffer());
        }
        return transform(v);
    }

    private Object transform(Object v) {
        for (String t : transformers) {
            if (v == null) return null;
            v = switch (t) {
                case "tolower" -> ((String) v).toLowerCase(java.util.Locale.ROOT);
                case "toupper" -> ((String) v).toUpperCase(java.util.Locale.ROOT);
                case "basename" -> StandardFields.basename((String) v);
                case "len" -> (long) (v instanceof byte[] b ? b.length : ((String) v).getBytes(StandardCharsets.UTF_8).length);
                case "b64" -> decodeBase64(v);
                default -> v;
            };
        }
        return v;
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
