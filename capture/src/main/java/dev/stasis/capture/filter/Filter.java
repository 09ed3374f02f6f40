package dev.stasis.capture.filter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A compiled filter: {@code Filter.compile("evt.type=open and fd.name contains /etc").matches(event)}.
 * Compiling resolves every field and parses every value, so a filter that
 * compiles only fails on events by not matching them.
 */
public final class Filter {
    private final String text;
    private final Node root;
    private final Set<String> fields;

    private Filter(String text, Node root, Set<String> fields) {
        this.text = text;
        this.root = root;
        this.fields = fields;
    }

    /** Parses and compiles a filter with the standard fields. */
    public static Filter compile(String text) {
        return compile(text, FilterParser.parse(text), FieldRegistry.standard());
    }

    /** Compiles an already parsed (and, for Falco, macro-expanded) tree. */
    public static Filter compile(String text, Expr expr, FieldRegistry registry) {
        Set<String> fields = new LinkedHashSet<>();
        Node root = build(expr, registry, fields);
        return new Filter(text, root, Set.copyOf(fields));
    }

    public boolean matches(EventView event) {
        return root.test(event);
    }

    public String text() {
        return text;
    }

    /** The fields the filter reads, as written. */
    public Set<String> fields() {
        return fields;
    }

    interface Node {
        boolean test(EventView e);
    }

    private static Node build(Expr e, FieldRegistry reg, Set<String> fields) {
        return switch (e) {
            case Expr.And and -> {
                Node[] kids = children(and.children(), reg, fields);
                yield ev -> {
                    for (Node k : kids) if (!k.test(ev)) return false;
                    return true;
                };
            }
            case Expr.Or or -> {
                Node[] kids = children(or.children(), reg, fields);
                yield ev -> {
                    for (Node k : kids) if (k.test(ev)) return true;
                    return false;
                };
            }
            case Expr.Not not -> {
                Node k = build(not.child(), reg, fields);
                yield ev -> !k.test(ev);
            }
            case Expr.Identifier id -> throw new FilterException("undefined macro or unknown name '" + id.name() + "'",
                    id.column());
            case Expr.Exists ex -> {
                Operand lhs = Operand.compile(ex.lhs(), reg);
                fields.addAll(lhs.fieldTexts());
                Check c = Check.exists(lhs);
                yield c::test;
            }
            case Expr.Compare cmp -> {
                Operand lhs = Operand.compile(cmp.lhs(), reg);
                fields.addAll(lhs.fieldTexts());
                if (cmp.rhs() instanceof Expr.FieldValue fv) {
                    fields.addAll(Operand.compile(fv.operand(), reg).fieldTexts());
                }
                Check c = Check.compile(lhs, cmp.op(), cmp.rhs(), reg);
                Node typeSet = EventTypeSet.compile(lhs, c);
                yield typeSet != null ? typeSet : c::test;
            }
        };
    }

    /**
     * The children of an and/or, the checks answered from the event type alone first:
     * checks have no side effects, so the order changes only how soon most events
     * are decided (evt.type=connect rejects them before fd.type has to look up an fd).
     */
    private static Node[] children(List<Expr> exprs, FieldRegistry reg, Set<String> fields) {
        List<Node> typeChecks = new ArrayList<>();
        List<Node> others = new ArrayList<>();
        for (Expr x : exprs) {
            Node n = build(x, reg, fields);
            (n instanceof EventTypeSet.TypeNode ? typeChecks : others).add(n);
        }
        typeChecks.addAll(others);
        return typeChecks.toArray(Node[]::new);
    }

    @Override
    public String toString() {
        return text;
    }
}
