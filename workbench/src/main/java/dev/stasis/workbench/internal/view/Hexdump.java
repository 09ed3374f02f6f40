package dev.stasis.workbench.internal.view;

import java.util.ArrayList;
import java.util.List;

/**
 * Bytes as hexdump -C shows them, 16 a line, with the matched bytes marked: what the memory
 * pages show around a hit.
 *
 * @param lines the lines, in address order
 */
public record Hexdump(List<Line> lines) {
    /** One line: its address, 16 cells (null past the end) and their printable form. */
    public record Line(String address, List<Cell> cells, String ascii) {}

    /** A byte as two hex digits; {@code hit} when it belongs to the match. */
    public record Cell(String hex, boolean hit) {}

    /**
     * @param base     address of {@code data[0]}
     * @param hitFrom  address of the first matched byte
     * @param hitLen   matched bytes (0: none)
     */
    public static Hexdump of(byte[] data, long base, long hitFrom, long hitLen) {
        List<Line> lines = new ArrayList<>();
        long start = base & ~15L;
        long end = base + data.length;
        for (long a = start; a < end; a += 16) {
            List<Cell> cells = new ArrayList<>(16);
            StringBuilder ascii = new StringBuilder(16);
            for (long b = a; b < a + 16; b++) {
                if (b < base || b >= end) {
                    cells.add(new Cell("  ", false));
                    ascii.append(' ');
                    continue;
                }
                int v = data[(int) (b - base)] & 0xff;
                cells.add(new Cell(String.format("%02x", v), b >= hitFrom && b < hitFrom + hitLen));
                ascii.append(v >= 0x20 && v < 0x7f ? (char) v : '.');
            }
            lines.add(new Line(String.format("%016x", a), cells, ascii.toString()));
        }
        return new Hexdump(lines);
    }

    /** The printable text of the dump, for tests and copying. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) sb.append(l.ascii());
        return sb.toString();
    }
}
