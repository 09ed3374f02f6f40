package dev.stasis.checkpoint.container;

/** Printable previews of captured bytes (socket queues): ASCII kept, everything else shown as '.'. */
final class Printable {
    private Printable() {}

    static String preview(byte[] data, int from, int len, int max) {
        if (len <= 0 || from < 0 || from >= data.length) return len <= 0 ? null : "";
        int n = Math.min(Math.min(len, max), data.length - from);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int c = data[from + i] & 0xff;
            if (c == '\n') b.append("\\n");
            else if (c == '\r') b.append("\\r");
            else if (c == '\t') b.append("\\t");
            else b.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        if (len > n) b.append("...");
        return b.toString();
    }
}
