package dev.stasis.capture.filter;

import java.util.List;

/**
 * The syntax tree of a filter, as the parser produces it and before fields are
 * resolved. Falco's rules loader rewrites it (macros and lists) before compiling.
 * Every node remembers the 1-based column it started at, for error messages.
 */
public sealed interface Expr {
    int column();

    record And(List<Expr> children, int column) implements Expr {
        public And {
            children = List.copyOf(children);
        }
    }

    record Or(List<Expr> children, int column) implements Expr {
        public Or {
            children = List.copyOf(children);
        }
    }

    record Not(Expr child, int column) implements Expr {}

    /** A bare identifier where a check was expected: a Falco macro reference. */
    record Identifier(String name, int column) implements Expr {}

    /** {@code lhs exists}. */
    record Exists(Operand lhs, int column) implements Expr {}

    /**
     * {@code lhs op rhs}: the operator text as written (e.g. {@code "="}, {@code "in"}); with a
     * modifier, the operator and the modifier separated by one blank ({@code "startswith anyof"}).
     */
    record Compare(Operand lhs, String op, Value rhs, int column) implements Expr {}

    /** The left side of a check, or a field on the right side through {@code val()}. */
    sealed interface Operand {
        int column();
    }

    /** A field with its optional argument: {@code proc.aname[2]}, {@code evt.arg.name}. */
    record Field(String name, String arg, int column) implements Operand {
        /** The field as written, for messages and output keys. */
        public String text() {
            return arg == null ? name : name + "[" + arg + "]";
        }
    }

    /** A transformer around an operand: {@code tolower(proc.name)}. */
    record Transform(String function, Operand inner, int column) implements Operand {}

    /**
     * A transformer of several arguments (libsinsp's multivalue transformers):
     * {@code join("-", (fd.name, "x"))}, {@code concat(a, b, ...)}, {@code getopt(list, "nt:")[t]};
     * {@code selector} is the optional {@code [c]} after the closing parenthesis, else null.
     */
    record Call(String function, List<Operand> args, String selector, int column) implements Operand {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** A quoted string or a number given to a transformer: the {@code "-"} of {@code join("-", ...)}. */
    record Const(String text, int column) implements Operand {}

    /** A parenthesised list given to a transformer: {@code (fd.name, "a", toupper(proc.name))}. */
    record OperandList(List<Operand> items, int column) implements Operand {
        public OperandList {
            items = List.copyOf(items);
        }
    }

    /** The right side of a check. */
    sealed interface Value {
        int column();
    }

    /** A single literal (quoted strings already unescaped) or a bare identifier. */
    record Literal(String text, boolean quoted, int column) implements Value {}

    /** A parenthesised list {@code (a, b, "c d")}. */
    record ListValue(List<Literal> items, int column) implements Value {
        public ListValue {
            items = List.copyOf(items);
        }
    }

    /** Another field's value: {@code val(proc.pname)} or a transformer. */
    record FieldValue(Operand operand, int column) implements Value {}
}
