package dev.stasis.capture.falco;

import dev.stasis.capture.filter.Expr;
import dev.stasis.capture.filter.FilterException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Replaces macro references (bare identifiers) in a parsed condition with the macros' own trees. */
final class MacroExpander {
    private final Map<String, Expr> macros;
    private final Deque<String> expanding = new ArrayDeque<>();
    /** Macros that use each other twice per level grow exponentially: stop well before memory does. */
    private static final int MAX_NODES = 200_000;
    private int nodes;

    MacroExpander(Map<String, Expr> macros) {
        this.macros = macros;
    }

    Expr expand(Expr e) {
        if (++nodes > MAX_NODES) throw new FilterException("condition too large after expanding macros");
        return switch (e) {
            case Expr.And and -> new Expr.And(all(and.children()), and.column());
            case Expr.Or or -> new Expr.Or(all(or.children()), or.column());
            case Expr.Not not -> new Expr.Not(expand(not.child()), not.column());
            case Expr.Identifier id -> {
                Expr body = macros.get(id.name());
                if (body == null) throw new FilterException("undefined macro '" + id.name() + "'", id.column());
                if (expanding.contains(id.name()))
                    throw new FilterException("macro '" + id.name() + "' refers to itself", id.column());
                expanding.push(id.name());
                try {
                    yield expand(body);
                } finally {
                    expanding.pop();
                }
            }
            case Expr.Exists x -> x;
            case Expr.Compare c -> c;
        };
    }

    private List<Expr> all(List<Expr> children) {
        List<Expr> out = new ArrayList<>(children.size());
        for (Expr c : children) out.add(expand(c));
        return out;
    }
}
