package dev.stasis.capture.filter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * libsinsp's multivalue transformers (sinsp_filtercheck_multivalue_transformer.cpp,
 * falcosecurity/libs 48dfd53c), with its argument rules and messages:
 * <ul>
 * <li>{@code join(sep, list)}: the list's items joined by the separator (one string);
 * <li>{@code concat(a, b, ...)}: two or more strings, concatenated;
 * <li>{@code getopt(args, optstring)}: argv scanned as getopt(3) does for short options,
 * giving a list of option letters and their values ('?' for an unknown option, "" for a
 * missing value; stops at "--" and at the first non-option, skips long options);
 * {@code getopt(args, optstring)[c]}: the last value (or letter, for an option without
 * value) of option c, no value when c is absent.
 * </ul>
 * Any argument without a value leaves the result without one, as in libsinsp.
 */
final class MultiTransformer {
    private MultiTransformer() {}

    static Operand compile(Expr.Call call, FieldRegistry registry) {
        List<Operand> args = new ArrayList<>();
        Set<String> fields = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>();
        for (Expr.Operand a : call.args()) {
            Operand o = Operand.compile(a, registry);
            args.add(o);
            fields.addAll(o.fieldTexts());
            texts.add(o.text());
        }
        String name = call.function();
        String text = name + "(" + String.join(", ", texts) + ")" + (call.selector() == null ? "" : "[" + call.selector() + "]");
        if (call.selector() != null && !name.equals("getopt"))
            throw error("transformer '" + name + "' does not support field arguments", call);
        Set<String> fieldSet = Set.copyOf(fields);
        return switch (name) {
            case "join" -> join(args, text, fieldSet, call);
            case "concat" -> concat(args, text, fieldSet, call);
            case "getopt" -> getopt(args, call.selector(), text, fieldSet, call);
            default -> throw error("unknown transformer '" + name + "'", call);
        };
    }

    private static FilterException error(String message, Expr.Call call) {
        return new FilterException(message, call.column());
    }

    private static Operand join(List<Operand> args, String text, Set<String> fields, Expr.Call call) {
        if (args.size() != 2) throw error("join() requires exactly 2 arguments: separator and list", call);
        if (args.get(0).isList())
            throw error("join() first argument (separator) must be a single value, not a list", call);
        if (!args.get(1).isList()) throw error("join() second argument must be a list", call);
        Operand sep = args.get(0);
        Operand list = args.get(1);
        return Operand.of(text, FieldType.STRING, false, fields, e -> {
            Object s = sep.eval(e);
            if (s == null) return null;
            Object l = list.eval(e);
            if (l == null) return null;
            List<Object> items = new ArrayList<>();
            Operand.flatten(l, items);
            StringBuilder out = new StringBuilder();
            String separator = Operand.text(s);
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) out.append(separator);
                out.append(items.get(i));
            }
            return out.toString();
        });
    }

    private static Operand concat(List<Operand> args, String text, Set<String> fields, Expr.Call call) {
        if (args.size() < 2) throw error("concat() requires at least 2 arguments", call);
        for (Operand a : args) {
            if (a.type() != FieldType.STRING || a.isList()) throw error("concat() arguments must be strings", call);
        }
        Operand[] parts = args.toArray(Operand[]::new);
        return Operand.of(text, FieldType.STRING, false, fields, e -> {
            StringBuilder out = new StringBuilder();
            for (Operand p : parts) {
                Object v = p.eval(e);
                if (v == null) return null;
                out.append(Operand.text(v));
            }
            return out.toString();
        });
    }

    private static Operand getopt(List<Operand> args, String selector, String text, Set<String> fields,
            Expr.Call call) {
        if (args.size() != 2) throw error("getopt() requires exactly 2 arguments: args list and optstring", call);
        if (!args.get(0).isList()) throw error("getopt() first argument must be a list", call);
        if (args.get(1).isList()) throw error("getopt() second argument (optstring) must be a single value", call);
        if (args.get(0).type() != FieldType.STRING || args.get(1).type() != FieldType.STRING)
            throw error("getopt() arguments must be strings", call);
        if (selector != null && selector.length() != 1)
            throw error("getopt() field argument must be a single option character", call);
        Operand argv = args.get(0);
        Operand optstring = args.get(1);
        return Operand.of(text, FieldType.STRING, selector == null, fields, e -> {
            Object o = optstring.eval(e);
            if (o == null) return null;
            Object l = argv.eval(e);
            if (l == null) return null;
            List<Object> items = new ArrayList<>();
            Operand.flatten(l, items);
            List<String> list = new ArrayList<>(items.size());
            for (Object x : items) list.add((String) x);
            return scan(list, Operand.text(o), selector == null ? null : selector.charAt(0));
        });
    }

    /** getopt(3)'s short-option scan over argv; the list form, or the selected option's last value (null if absent). */
    static Object scan(List<String> argv, String optstring, Character selector) {
        boolean[] valid = new boolean[65536];
        boolean[] withArg = new boolean[65536];
        int start = optstring.startsWith(":") ? 1 : 0;
        for (int i = start; i < optstring.length(); i++) {
            char opt = optstring.charAt(i);
            if (opt == ':') continue;
            valid[opt] = true;
            if (i + 1 < optstring.length() && optstring.charAt(i + 1) == ':') {
                withArg[opt] = true;
                i++;
            }
        }
        List<Object> results = new ArrayList<>();
        String selected = null;
        for (int a = 0; a < argv.size(); a++) {
            String arg = argv.get(a);
            if (arg.equals("--")) break;
            if (arg.length() > 2 && arg.startsWith("--")) continue; // long options are not scanned
            if (arg.length() < 2 || arg.charAt(0) != '-') break;    // the first non-option ends the scan
            for (int i = 1; i < arg.length(); i++) {
                char opt = arg.charAt(i);
                if (opt == ':' || !valid[opt]) {
                    if (selector == null) results.add("?");
                    continue;
                }
                boolean match = selector == null || opt == selector;
                String name = String.valueOf(opt);
                if (!withArg[opt]) {
                    if (match) {
                        if (selector == null) results.add(name);
                        else selected = name;
                    }
                    continue;
                }
                String value;
                if (i + 1 < arg.length()) {
                    value = arg.substring(i + 1);
                } else if (a + 1 < argv.size()) {
                    value = argv.get(++a);
                } else {
                    // A missing value reads as "" (libsinsp: keeps getopt(...)[t] != "" useful).
                    if (match) {
                        if (selector == null) results.add("");
                        else selected = "";
                    }
                    break;
                }
                if (match) {
                    if (selector == null) {
                        results.add(name);
                        results.add(value);
                    } else {
                        selected = value;
                    }
                }
                break;
            }
        }
        if (selector != null) return selected;
        return new Operand.ListOf(results);
    }
}
