package dev.stasis.evidence.internal;

import java.nio.charset.StandardCharsets;

/** Names an archive's container format by its magic bytes (a label for the manifest, not a parser). */
public final class FormatSniffer {
    private FormatSniffer() {}

    public static String sniff(byte[] head) {
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd)
            return "tar+zstd";
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return "tar+gzip";
        if (head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) return "tar";
        return "unknown";
    }

    /** A file name extension for the format, for export bundles. */
    public static String extension(String format) {
        return switch (format) {
            case "tar+zstd" -> ".tar.zst";
            case "tar+gzip" -> ".tar.gz";
            case "tar" -> ".tar";
            default -> ".bin";
        };
    }
}
