package dev.stasis.capture.state;

/**
 * A streaming JSON tokenizer for the container event's JSON, giving the tokens Jackson's
 * streaming parser gives with its default settings (strict JSON: no comments, no trailing
 * commas, no leading zeros, escapes and control characters as RFC 8259, Jackson's default
 * limits on nesting and lengths), and failing on what it rejects. Jackson's JsonFactory
 * cost some 20 ms in a cold JVM (its classes, symbol tables and buffer recyclers) for one
 * or two events of a few hundred bytes. {@link ContainerJson} reads with it as it read with
 * Jackson; JsonTokensTest compares the two on malformed input too.
 *
 * <p>One difference that {@link ContainerJson} cannot see: a field's value is checked when its
 * name is read (Jackson checks a string value when it is read or skipped), so a bad value fails
 * one token earlier; ContainerJson always reads on after a name, so both fail.
 */
final class JsonTokens {
    enum Token { START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY, FIELD_NAME, STRING, INT, FLOAT, TRUE, FALSE, NULL }

    /** Malformed JSON, or beyond Jackson's default limits. */
    static final class MalformedJson extends RuntimeException {
        MalformedJson(String message) {
            super(message, null, false, false);
        }
    }

    // Jackson's StreamReadConstraints defaults
    private static final int MAX_DEPTH = 1000;
    private static final int MAX_NUMBER_LENGTH = 1000;
    private static final int MAX_STRING_LENGTH = 20_000_000;
    private static final int MAX_NAME_LENGTH = 50_000;

    private final String s;
    private int pos;
    /** Per open object/array: whether it is an object, and how many members it has had. */
    private boolean[] isObject = new boolean[8];
    private int[] members = new int[8];
    private int depth;
    private Token current;
    private String text;
    /** A field's value, read with its name and returned by the next call. */
    private Token pending;
    private String pendingText;

    JsonTokens(String json) {
        this.s = json;
    }

    /** The next token, or null at the end of the input after the root value. */
    Token next() {
        if (pending != null) {
            current = pending;
            text = pendingText;
            pending = null;
            return current;
        }
        skipSpace();
        if (pos == s.length()) {
            if (depth > 0) {
                throw new MalformedJson("unexpected end of input");
            }
            text = null;
            return current = null;
        }
        char c = s.charAt(pos);
        if (depth > 0 && (c == '}' || c == ']')) {
            if ((c == '}') != isObject[depth - 1]) {
                throw new MalformedJson("mismatched " + c);
            }
            pos++;
            depth--;
            text = String.valueOf(c);
            return current = c == '}' ? Token.END_OBJECT : Token.END_ARRAY;
        }
        if (depth > 0) {
            if (members[depth - 1]++ > 0) {
                if (c != ',') {
                    throw new MalformedJson("expected a comma");
                }
                pos++;
                skipSpace();
                if (pos == s.length()) {
                    throw new MalformedJson("unexpected end of input");
                }
                c = s.charAt(pos);
            }
            if (isObject[depth - 1]) {
                if (c != '"') {
                    throw new MalformedJson("expected a field name");
                }
                String name = string(MAX_NAME_LENGTH);
                skipSpace();
                if (pos == s.length() || s.charAt(pos) != ':') {
                    throw new MalformedJson("expected a colon");
                }
                pos++;
                skipSpace();
                pending = value();
                pendingText = text;
                text = name;
                return current = Token.FIELD_NAME;
            }
        }
        return current = value();
    }

    /** The current token's text: a name, a string's value, a number as written, true/false/null. */
    String text() {
        return text;
    }

    /** The current INT token as a long (fails beyond a long, as Jackson's getLongValue). */
    long longValue() {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new MalformedJson("number out of range: " + text);
        }
    }

    /** The current INT token as an int (fails beyond an int, as Jackson's getIntValue). */
    int intValue() {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new MalformedJson("number out of range: " + text);
        }
    }

    /** On a START_OBJECT or START_ARRAY, reads up to its matching end; else does nothing. */
    void skipChildren() {
        if (current != Token.START_OBJECT && current != Token.START_ARRAY) {
            return;
        }
        for (int open = 1; open > 0; ) {
            Token t = next();
            if (t == Token.START_OBJECT || t == Token.START_ARRAY) {
                open++;
            } else if (t == Token.END_OBJECT || t == Token.END_ARRAY) {
                open--;
            } else if (t == null) {
                throw new MalformedJson("unexpected end of input");
            }
        }
    }

    private Token value() {
        if (pos == s.length()) {
            throw new MalformedJson("unexpected end of input");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{', '[' -> {
                if (depth == MAX_DEPTH) {
                    throw new MalformedJson("nesting deeper than " + MAX_DEPTH);
                }
                if (depth == isObject.length) {
                    isObject = java.util.Arrays.copyOf(isObject, depth * 2);
                    members = java.util.Arrays.copyOf(members, depth * 2);
                }
                isObject[depth] = c == '{';
                members[depth] = 0;
                depth++;
                pos++;
                text = String.valueOf(c);
                return c == '{' ? Token.START_OBJECT : Token.START_ARRAY;
            }
            case '"' -> {
                text = string(MAX_STRING_LENGTH);
                return Token.STRING;
            }
            case 't' -> {
                return literal("true", Token.TRUE);
            }
            case 'f' -> {
                return literal("false", Token.FALSE);
            }
            case 'n' -> {
                return literal("null", Token.NULL);
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new MalformedJson("unexpected character " + (int) c);
            }
        }
    }

    private Token literal(String word, Token t) {
        if (!s.startsWith(word, pos)) {
            throw new MalformedJson("unrecognized token");
        }
        pos += word.length();
        // Jackson rejects "trueX" at once; anything else after the word fails at the next token
        if (pos < s.length() && Character.isJavaIdentifierPart(s.charAt(pos))) {
            throw new MalformedJson("unrecognized token");
        }
        text = word;
        return t;
    }

    private Token number() {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        int intStart = pos;
        if (digits() == 0) {
            throw new MalformedJson("expected a digit");
        }
        if (s.charAt(intStart) == '0' && pos - intStart > 1) {
            throw new MalformedJson("leading zeroes");
        }
        int length = pos - intStart;
        boolean fp = false;
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            fp = true;
            int n = digits();
            if (n == 0) {
                throw new MalformedJson("expected a digit after the decimal point");
            }
            length += n;
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            pos++;
            fp = true;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            int n = digits();
            if (n == 0) {
                throw new MalformedJson("expected a digit in the exponent");
            }
            length += n;
        }
        if (length > MAX_NUMBER_LENGTH) {
            throw new MalformedJson("number longer than " + MAX_NUMBER_LENGTH);
        }
        text = s.substring(start, pos);
        return fp ? Token.FLOAT : Token.INT;
    }

    private int digits() {
        int from = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        return pos - from;
    }

    /** A string from its opening quote, escapes decoded. */
    private String string(int maxLength) {
        int start = ++pos;
        StringBuilder b = null;
        while (true) {
            if (pos == s.length()) {
                throw new MalformedJson("unexpected end of input in a string");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                String out = b == null ? s.substring(start, pos) : b.append(s, start, pos).toString();
                pos++;
                if (out.length() > maxLength) {
                    throw new MalformedJson("string longer than " + maxLength);
                }
                return out;
            }
            if (c < 0x20) {
                throw new MalformedJson("unescaped control character " + (int) c);
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (b == null) {
                b = new StringBuilder();
            }
            b.append(s, start, pos);
            if (++pos == s.length()) {
                throw new MalformedJson("unexpected end of input in a string");
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = pos < s.length() ? hex(s.charAt(pos++)) : -1;
                        if (d < 0) {
                            throw new MalformedJson("bad \\u escape");
                        }
                        v = v << 4 | d;
                    }
                    b.append((char) v);
                }
                default -> throw new MalformedJson("bad escape \\" + e);
            }
            start = pos;
        }
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else if (c < 0x20) {
                throw new MalformedJson("control character " + (int) c + " outside a string");
            } else {
                return;
            }
        }
    }
}
