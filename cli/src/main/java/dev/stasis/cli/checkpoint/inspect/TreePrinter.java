package dev.stasis.cli.checkpoint.inspect;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A minimal text tree ("├── ", "└── ") for the human-readable views. */
public final class TreePrinter {
    private final String label;
    private final List<TreePrinter> children = new ArrayList<>();

    public TreePrinter(String label) {
        this.label = label;
    }

    public TreePrinter add(String childLabel) {
        TreePrinter c = new TreePrinter(childLabel);
        children.add(c);
        return c;
    }

    public boolean isEmpty() {
        return children.isEmpty();
    }

    public void print(PrintStream out) {
        out.println(clean(label));
        printChildren(out, "");
    }

    private void printChildren(PrintStream out, String prefix) {
        for (int i = 0; i < children.size(); i++) {
            boolean last = i == children.size() - 1;
            TreePrinter c = children.get(i);
            out.println(prefix + (last ? "└── " : "├── ") + clean(c.label));
            c.printChildren(out, prefix + (last ? "    " : "│   "));
        }
    }

    /** Labels come from untrusted evidence: control characters would rewrite the analyst's terminal. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)) b.append(String.format("\\x%02x", (int) ch));
            else b.append(ch);
        }
        return b.toString();
    }
}
