package dev.stasis.analysis.detect;

import java.nio.charset.StandardCharsets;

/** Sniffs what a file is from its first bytes (never from its name). */
public final class FileTypes {
    private FileTypes() {}

    public static String describe(byte[] head) {
        if (head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            String bits = head.length > 4 && head[4] == 2 ? "64-bit" : "32-bit";
            String kind = "ELF";
            if (head.length > 17) {
                int type = (head[16] & 0xff) | (head[17] & 0xff) << 8;
                kind = switch (type) {
                    case 2 -> "ELF executable";
                    case 3 -> "ELF shared object or PIE executable";
                    case 4 -> "ELF core";
                    case 1 -> "ELF relocatable";
                    default -> "ELF";
                };
            }
            return kind + " (" + bits + ")";
        }
        if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
            int end = 2;
            while (end < head.length && end < 200 && head[end] != '\n') end++;
            String line = new String(head, 2, end - 2, StandardCharsets.ISO_8859_1).strip();
            return "script (" + interpreterName(line) + ")";
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return "gzip data";
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return "zip archive";
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) return "zstd data";
        if (head.length > 262 && new String(head, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar")) return "tar archive";
        if (head.length == 0) return "empty";
        return isText(head) ? "text" : "data";
    }

    public static boolean isElf(byte[] head) {
        return head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    }

    public static boolean isScript(byte[] head) {
        return head.length >= 2 && head[0] == '#' && head[1] == '!';
    }

    static String interpreterName(String shebang) {
        String[] parts = shebang.split("\\s+");
        if (parts.length == 0 || parts[0].isEmpty()) return "unknown";
        String prog = Programs.baseName(parts[0]);
        if (prog.equals("env") && parts.length > 1) prog = parts[1];
        return prog;
    }

    static boolean isText(byte[] head) {
        int n = Math.min(head.length, 4096);
        int bad = 0;
        for (int i = 0; i < n; i++) {
            int b = head[i] & 0xff;
            if (b == 0) return false;
            if (b < 0x09 || (b > 0x0d && b < 0x20)) bad++;
        }
        return bad * 20 < n;
    }
}
