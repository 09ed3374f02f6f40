package dev.stasis.capture.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the sysdig/Falco filter language into an {@link Expr} tree. The grammar
 * follows libsinsp's recursive-descent parser (filter/parser.cpp): {@code or}
 * binds looser than {@code and}, {@code not} prefixes a check, word operators
 * need a blank after them, {@code < <= > >=} take a number, list operators take
 * a parenthesised list or a list name. Errors name the column where parsing stopped.
 */
public final class FilterParser {
    private static final Pattern NOT_BLANK = Pattern.compile("not\\s+");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z]+[a-zA-Z0-9_]*");
    private static final Pattern FIELD_NAME = Pattern.compile("[a-zA-Z]+[a-zA-Z0-9_]*(\\.[a-zA-Z]+[a-zA-Z0-9_]*)+");
    private static final Pattern FIELD_ARG_BARE = Pattern.compile("[^\\]\\[\"'\\s]+");
    private static final Pattern HEX_NUM = Pattern.compile("0[xX][0-9a-fA-F]+");
    private static final Pattern NUMBER = Pattern.compile("[+\\-]?[0-9]+\\.?[0-9]*([eE][+\\-][0-9]+)?");
    private static final Pattern BARE_STR = Pattern.compile("[^()\"'\\s=,]+");
    // After an operator sysdig 0.29 also took '=' inside a bare value (evt.args contains res=0).
    private static final Pattern BARE_VALUE = Pattern.compile("[^()\"'\\s,]+");

    private static final List<String> NUM_OPS = List.of("<=", "<", ">=", ">");
    // A trailing space marks word operators, which need a blank after them.
    private static final List<String> STR_OPS = List.of("==", "=", "!=", "glob ", "iglob ", "contains ",
            "icontains ", "bcontains ", "startswith ", "bstartswith ", "endswith ", "regex ");
    private static final List<String> LIST_OPS = List.of("intersects", "in", "pmatch");
    /** String operator modifiers (libsinsp parser.cpp s_str_modifier_ops): {@code fd.name startswith anyof (/a, /b)}. */
    private static final List<String> MODIFIERS = List.of("oneof", "anyof", "allof");
    /**
     * The transformers of libsinsp's parser (s_field_transformers, falcosecurity/libs 48dfd53c), all
     * implemented: one-argument ones, then join/concat/getopt, which take several arguments.
     */
    public static final List<String> TRANSFORMERS = List.of("tolower", "toupper", "b64", "basename", "len",
            "join", "concat", "getopt");
    static final List<String> MULTI_ARG = List.of("join", "concat", "getopt");
    private static final int MAX_DEPTH = 1000;

    private final String input;
    private int pos;
    private int depth;
    private String last = "";

    private FilterParser(String input) {
        this.input = input;
    }

    /** Parses a complete filter; throws {@link FilterException} with the column on a syntax error. */
    public static Expr parse(String filter) {
        if (filter == null) throw new FilterException("empty filter");
        FilterParser p = new FilterParser(filter);
        p.blank();
        if (p.pos == filter.length()) throw new FilterException("empty filter");
        Expr e = p.parseOr();
        p.blank();
        if (p.pos != filter.length()) throw p.error("unexpected token after '" + p.last + "'");
        return e;
    }

    private FilterException error(String message) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos && i < input.length(); i++) {
            if (input.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = pos - lineStart + 1;
        return line > 1 ? new FilterException(message + " at line " + line, column) : new FilterException(message, column);
    }

    private void enter() {
        if (++depth > MAX_DEPTH) throw error("filter nested too deeply");
    }

    private int col() {
        return pos + 1;
    }

    private Expr parseOr() {
        enter();
        int c = col();
        List<Expr> children = new ArrayList<>();
        blank();
        children.add(parseAnd());
        blank();
        while (str("or")) {
            if (!blank()) {
                if (str("(")) children.add(embeddedRemainder());
                else throw error("expected blank or '(' after 'or'");
            } else {
                children.add(parseAnd());
            }
            blank();
        }
        depth--;
        return children.size() > 1 ? new Expr.Or(children, c) : children.get(0);
    }

    private Expr parseAnd() {
        enter();
        int c = col();
        List<Expr> children = new ArrayList<>();
        blank();
        children.add(parseNot());
        blank();
        while (str("and")) {
            if (!blank()) {
                if (str("(")) children.add(embeddedRemainder());
                else throw error("expected blank or '(' after 'and'");
            } else {
                children.add(parseNot());
            }
            blank();
        }
        depth--;
        return children.size() > 1 ? new Expr.And(children, c) : children.get(0);
    }

    private Expr parseNot() {
        enter();
        int c = col();
        boolean negate = false;
        blank();
        while (rgx(NOT_BLANK)) negate = !negate;
        Expr child;
        if (str("not(")) {
            negate = !negate;
            child = embeddedRemainder();
        } else {
            child = parseCheck();
        }
        depth--;
        return negate ? new Expr.Not(child, c) : child;
    }

    private Expr embeddedRemainder() {
        enter();
        blank();
        Expr child = parseOr();
        blank();
        if (!str(")")) throw error("expected a ')' token");
        depth--;
        return child;
    }

    private Expr parseCheck() {
        enter();
        int c = col();
        blank();
        try {
            if (str("(")) return embeddedRemainder();
            if (rgx(FIELD_NAME)) return condition(fieldRemainder(last, c), c);
            String transformer = transformerOpen();
            if (transformer != null) return condition(transformerRemainder(transformer, c), c);
            if (rgx(IDENTIFIER)) {
                if (pos < input.length() && input.charAt(pos) == '(') {
                    pos -= last.length();
                    throw error("unknown transformer '" + last + "': libsinsp has " + String.join(", ", TRANSFORMERS)
                            + " (and val() on the right-hand side)");
                }
                return new Expr.Identifier(last, c);
            }
            throw error("expected a '(' token, a field check, or an identifier");
        } finally {
            depth--;
        }
    }

    private Expr.Field fieldRemainder(String name, int c) {
        String arg = null;
        if (str("[")) {
            if (!quoted() && !rgx(FIELD_ARG_BARE))
                throw error("expected a valid field argument: a quoted string or a bare string");
            arg = last;
            if (!str("]")) throw error("expected a ']' token");
        }
        return new Expr.Field(name, arg, c);
    }

    /** Consumes {@code name(} for a known transformer and returns the name, else null. */
    private String transformerOpen() {
        for (String t : TRANSFORMERS) {
            if (str(t + "(")) return t;
        }
        return null;
    }

    /**
     * After {@code name(}: the arguments, the ')' and an optional {@code [arg]}, as libsinsp's
     * parse_field_or_transformer_remainder. One-argument transformers keep their old tree shape.
     */
    private Expr.Operand transformerRemainder(String transformer, int c) {
        enter();
        blank();
        List<Expr.Operand> args = new ArrayList<>();
        do {
            blank();
            args.add(transformerArg(transformer));
            blank();
        } while (str(","));
        blank();
        if (!str(")")) throw error("expected a ')' token closing the transformer");
        String selector = null;
        if (str("[")) {
            if (!quoted() && !rgx(FIELD_ARG_BARE))
                throw error("expected a valid field argument: a quoted string or a bare string");
            selector = last;
            if (!str("]")) throw error("expected a ']' token");
        }
        depth--;
        if (MULTI_ARG.contains(transformer)) return new Expr.Call(transformer, args, selector, c);
        if (selector != null) throw new FilterException("transformer '" + transformer + "' does not support field arguments", c);
        if (args.size() != 1) throw new FilterException("transformer '" + transformer + "' takes one argument", c);
        return new Expr.Transform(transformer, args.get(0), c);
    }

    /** FieldTransformerArg ::= NumValue | QuotedStr | TransformerList | FieldTransformer | Field (libsinsp's order). */
    private Expr.Operand transformerArg(String transformer) {
        int c = col();
        if (rgx(HEX_NUM) || rgx(NUMBER)) return new Expr.Const(last, c);
        if (quoted()) return new Expr.Const(last, c);
        if (str("(")) return transformerList(c);
        String nested = transformerOpen();
        if (nested != null) return transformerRemainder(nested, c);
        if (rgx(FIELD_NAME)) return fieldRemainder(last, c);
        throw error("expected a field, a transformer, a quoted string, a number or a list inside '" + transformer + "('");
    }

    /** TransformerList ::= '(' ( Field | FieldTransformer | QuotedStr | NumValue ) {',' ...} ')', after the '('. */
    private Expr.Operand transformerList(int c) {
        List<Expr.Operand> items = new ArrayList<>();
        blank();
        if (str(")")) return new Expr.OperandList(items, c);
        do {
            blank();
            int ic = col();
            String nested;
            if (rgx(FIELD_NAME)) items.add(fieldRemainder(last, ic));
            else if ((nested = transformerOpen()) != null) items.add(transformerRemainder(nested, ic));
            else if (quoted() || rgx(HEX_NUM) || rgx(NUMBER)) items.add(new Expr.Const(last, ic));
            else throw error("expected a field, a transformer, a quoted string or a number in the list");
            blank();
        } while (str(","));
        if (!str(")")) throw error("expected a ')' token closing the list");
        return new Expr.OperandList(items, c);
    }

    private Expr condition(Expr.Operand left, int c) {
        blank();
        if (str("exists")) return new Expr.Exists(left, c);
        blank();
        for (String op : NUM_OPS) {
            if (str(op)) return new Expr.Compare(left, op, numValueOrTransformer(), c);
        }
        for (String op : STR_OPS) {
            boolean word = op.endsWith(" ");
            if (word ? wordOp(op.strip()) : str(op)) {
                // libsinsp: a blank, a modifier, then a list or an identifier that is not and/or/not.
                boolean hadBlank = word || blank();
                int saved = pos;
                String savedLast = last;
                if (hadBlank) {
                    for (String mod : MODIFIERS) {
                        if (wordOp(mod) && listValueFollows() && !boolKeywordFollows()) {
                            return new Expr.Compare(left, op.strip() + " " + mod, listValue(), c);
                        }
                        pos = saved;
                        last = savedLast;
                    }
                }
                return new Expr.Compare(left, op.strip(), strValueOrTransformer(), c);
            }
        }
        for (String op : LIST_OPS) {
            if (str(op)) return new Expr.Compare(left, op, listValueOrTransformer(), c);
        }
        throw error("expected a valid check operator: one of =, ==, !=, <, <=, >, >=, contains, icontains, "
                + "bcontains, startswith, bstartswith, endswith, glob, iglob, regex, in, intersects, pmatch, exists");
    }

    private Expr.Value numValueOrTransformer() {
        blank();
        int c = col();
        Expr.Value t = transformerOrVal();
        if (t != null) return t;
        if (rgx(HEX_NUM) || rgx(NUMBER)) return new Expr.Literal(last, false, c);
        throw error("expected a number value or a field with a valid transformer");
    }

    private Expr.Value strValueOrTransformer() {
        blank();
        int c = col();
        Expr.Value t = transformerOrVal();
        if (t != null) return t;
        if (quoted()) return new Expr.Literal(last, true, c);
        if (rgx(BARE_VALUE)) return new Expr.Literal(last, false, c);
        throw error("expected a string value");
    }

    private Expr.Literal strValue(int c) {
        if (quoted()) return new Expr.Literal(last, true, c);
        if (rgx(BARE_STR)) return new Expr.Literal(last, false, c);
        throw error("expected a string value");
    }

    private boolean listValueFollows() {
        if (pos < input.length() && input.charAt(pos) == '(') return true;
        Matcher m = IDENTIFIER.matcher(input);
        m.region(pos, input.length());
        return m.lookingAt();
    }

    private boolean boolKeywordFollows() {
        for (String kw : List.of("and", "or", "not")) {
            int end = pos + kw.length();
            if (input.startsWith(kw, pos) && (end == input.length() || !Character.isLetterOrDigit(input.charAt(end))))
                return true;
        }
        return false;
    }

    /** ListValue after a modifier: a parenthesised list or an identifier (libsinsp parse_list_value). */
    private Expr.Value listValue() {
        blank();
        int c = col();
        Expr.ListValue list = listLiteral(c);
        if (list != null) return list;
        if (rgx(IDENTIFIER)) return new Expr.Literal(last, false, c);
        throw error("expected a list or an identifier");
    }

    private Expr.ListValue listLiteral(int c) {
        if (!str("(")) return null;
        List<Expr.Literal> items = new ArrayList<>();
        blank();
        if (!str(")")) {
            items.add(strValue(col()));
            blank();
            while (str(",")) {
                blank();
                items.add(strValue(col()));
                blank();
            }
            if (!str(")")) throw error("expected a ')' token");
        }
        return new Expr.ListValue(items, c);
    }

    private Expr.Value listValueOrTransformer() {
        blank();
        int c = col();
        Expr.ListValue list = listLiteral(c);
        if (list != null) return list;
        Expr.Value t = transformerOrVal();
        if (t != null) return t;
        if (rgx(IDENTIFIER)) return new Expr.Literal(last, false, c);
        throw error("expected a list, an identifier, or a field with a valid transformer");
    }

    private Expr.Value transformerOrVal() {
        int c = col();
        if (str("val(")) {
            blank();
            int fc = col();
            if (!rgx(FIELD_NAME)) throw error("expected a field within 'val' transformer");
            Expr.Field f = fieldRemainder(last, fc);
            blank();
            if (!str(")")) throw error("expected a ')' token closing the transformer");
            return new Expr.FieldValue(f, c);
        }
        String t = transformerOpen();
        if (t != null) return new Expr.FieldValue(transformerRemainder(t, c), c);
        return null;
    }

    // ---- lexing helpers; only blank() leaves 'last' alone ----

    private boolean blank() {
        boolean found = false;
        while (pos < input.length()) {
            char ch = input.charAt(pos);
            if (ch != ' ' && ch != '\t' && ch != '\b' && ch != '\r' && ch != '\n') break;
            pos++;
            found = true;
        }
        return found;
    }

    private boolean str(String s) {
        if (input.startsWith(s, pos)) {
            last = s;
            pos += s.length();
            return true;
        }
        return false;
    }

    /** A word operator matches only when a blank follows it. */
    private boolean wordOp(String word) {
        int saved = pos;
        String savedLast = last;
        if (str(word)) {
            if (blank()) return true;
            pos = saved;
            last = savedLast;
        }
        return false;
    }

    private boolean rgx(Pattern p) {
        Matcher m = p.matcher(input);
        m.region(pos, input.length());
        if (m.lookingAt()) {
            last = m.group();
            pos = m.end();
            return true;
        }
        return false;
    }

    private boolean quoted() {
        if (pos >= input.length()) return false;
        char delim = input.charAt(pos);
        if (delim != '\'' && delim != '"') return false;
        StringBuilder out = new StringBuilder();
        int i = pos + 1;
        while (i < input.length()) {
            char ch = input.charAt(i);
            if (ch == delim) {
                last = out.toString();
                pos = i + 1;
                return true;
            }
            if (ch == '\\' && i + 1 < input.length()) {
                char n = input.charAt(++i);
                switch (n) {
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case '\\', '"', '\'', ' ' -> out.append(n);
                    default -> out.append('\\').append(n);
                }
            } else {
                out.append(ch);
            }
            i++;
        }
        throw error("unterminated quoted string");
    }
}
