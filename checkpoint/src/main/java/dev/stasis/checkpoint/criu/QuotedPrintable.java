package dev.stasis.checkpoint.criu;

/**
 * Quoted-printable as Python's {@code quopri.encodestring} (binascii.b2a_qp
 * with istext, no quotetabs, no header) produces it; crit shows unix socket
 * names this way. Lines are soft-broken at 76 characters.
 */
final class QuotedPrintable {
    private static final int MAXLINESIZE = 76;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private QuotedPrintable() {}

    static String encode(byte[] data) {
        int n = data.length;
        boolean crlf = false;
        for (int i = 0; i < n; i++) {
            if (data[i] == '\n') {
                crlf = i > 0 && data[i - 1] == '\r';
                break;
            }
        }
        String lineBreak = crlf ? "=\r\n" : "=\n";
        StringBuilder out = new StringBuilder();
        int in = 0;
        int lineLen = 0;
        while (in < n) {
            int c = data[in] & 0xff;
            if (mustQuote(data, in, lineLen)) {
                if (lineLen + 3 >= MAXLINESIZE) {
                    out.append(lineBreak);
                    lineLen = 0;
                }
                out.append('=').append(HEX[c >> 4]).append(HEX[c & 0xf]);
                in++;
                lineLen += 3;
            } else if (c == '\n' || (in + 1 < n && c == '\r' && data[in + 1] == '\n')) {
                lineLen = 0;
                // Whitespace at the end of a line would be lost in transport: quote it.
                int last = out.length() - 1;
                if (last >= 0 && (out.charAt(last) == ' ' || out.charAt(last) == '\t')) {
                    char ch = out.charAt(last);
                    out.setLength(last);
                    out.append('=').append(HEX[ch >> 4]).append(HEX[ch & 0xf]);
                }
                if (crlf) out.append('\r');
                out.append('\n');
                in += c == '\r' ? 2 : 1;
            } else {
                if (in + 1 != n && data[in + 1] != '\n' && lineLen + 1 >= MAXLINESIZE) {
                    out.append(lineBreak);
                    lineLen = 0;
                }
                lineLen++;
                out.append((char) c);
                in++;
            }
        }
        return out.toString();
    }

    private static boolean mustQuote(byte[] d, int in, int lineLen) {
        int c = d[in] & 0xff;
        int n = d.length;
        return c > 126
                || c == '='
                || (c == '.' && lineLen == 0 && (in + 1 == n || d[in + 1] == '\n' || d[in + 1] == '\r' || d[in + 1] == 0))
                || ((c == '\t' || c == ' ') && in + 1 == n)
                || (c < 33 && c != '\r' && c != '\n' && c != '\t' && c != ' ');
    }
}
