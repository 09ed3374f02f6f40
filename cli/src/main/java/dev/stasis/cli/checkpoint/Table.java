package dev.stasis.cli.checkpoint;

import java.io.PrintStream;
import java.util.List;

/** Left-aligned columns separated by two spaces; cells are cleaned of control characters (they come from evidence). */
final class Table {
    private Table() {}

    static void print(List<String[]> rows, PrintStream out) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], clean(r[i]).length());
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                String c = clean(r[i]);
                b.append(c);
                if (i < cols - 1) b.append(" ".repeat(width[i] - c.length() + 2));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    static String clean(String s) {
        if (s == null) return "-";
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) b.append(ch < 0x20 || ch == 0x7f ? '?' : ch);
        return b.toString();
    }
}
