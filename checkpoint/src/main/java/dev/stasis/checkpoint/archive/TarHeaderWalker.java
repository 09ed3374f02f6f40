package dev.stasis.checkpoint.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Indexes an uncompressed tar by walking its 512-byte headers with positional reads: the data
 * of a member is never read, only its offset noted. Understands what container runtimes write:
 * POSIX ustar (with the name prefix), GNU long names and link targets ({@code L}/{@code K}),
 * GNU base-256 sizes, and PAX extended headers ({@code x}, and {@code g} as defaults for the
 * rest of the archive) for {@code path}, {@code linkpath}, {@code size} and {@code mtime}.
 * It exists because commons-compress's {@code TarFile} costs a short command about 100 ms of
 * class loading and initialisation to read a few dozen headers.
 *
 * <p>A hostile header (bad checksum, non-octal numbers, a size past the end of the file, an
 * oversized long name or PAX record) ends the walk with a one-line {@link ArchiveException}.
 */
final class TarHeaderWalker {
    static final int BLOCK = 512;
    /** Long names and PAX headers larger than this are refused: they are names, not data. */
    private static final int MAX_META = 1 << 20;

    /** One member and where its data starts in the file. */
    record Entry(ArchiveMember member, long dataOffset) {}

    private final FileChannel channel;
    private final String fileName;
    private final long fileSize;
    private final ArchiveLimits limits;
    private final byte[] header = new byte[BLOCK];
    private final Map<String, String> globalPax = new HashMap<>();

    private TarHeaderWalker(FileChannel channel, String fileName, ArchiveLimits limits) throws IOException {
        this.channel = channel;
        this.fileName = fileName;
        this.fileSize = channel.size();
        this.limits = limits;
    }

    static List<Entry> walk(FileChannel channel, String fileName, ArchiveLimits limits) throws IOException {
        return new TarHeaderWalker(channel, fileName, limits).walk();
    }

    private List<Entry> walk() throws IOException {
        List<Entry> out = new ArrayList<>();
        String longName = null, longLink = null;
        Map<String, String> pax = null;
        long pos = 0;
        while (true) {
            if (pos + BLOCK > fileSize) {
                throw corrupt(pos == fileSize ? "it ends without the end-of-archive blocks (truncated?)"
                        : "a header at offset " + pos + " is cut short (truncated?)");
            }
            readFully(pos, header, BLOCK);
            if (allZero(header)) break;                               // end of archive (tar writes two such blocks)
            verifyChecksum(pos);
            byte type = header[156];
            long rawSize = number(124, 12, pos, "size");
            long dataOffset = pos + BLOCK;
            if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
                byte[] meta = meta(dataOffset, rawSize, pos);
                switch (type) {
                    case 'L' -> longName = cString(meta, 0, meta.length);
                    case 'K' -> longLink = cString(meta, 0, meta.length);
                    case 'x' -> pax = pax(meta, pos);
                    default -> globalPax.putAll(pax(meta, pos));
                }
                pos = next(dataOffset, rawSize);
                continue;
            }
            Map<String, String> p = new HashMap<>(globalPax);
            if (pax != null) p.putAll(pax);
            String name = p.containsKey("path") ? p.get("path") : longName != null ? longName : ustarName();
            long size = p.containsKey("size") ? paxNumber(p.get("size"), pos, "size") : rawSize;
            ArchiveMember.Type kind = kind(type, name);
            String link = kind == ArchiveMember.Type.SYMLINK || kind == ArchiveMember.Type.HARDLINK
                    ? (p.containsKey("linkpath") ? p.get("linkpath") : longLink != null ? longLink : cString(header, 157, 100)) : null;
            Instant modified = p.containsKey("mtime") ? paxTime(p.get("mtime"), pos) : epoch(number(136, 12, pos, "mtime"), pos);
            int mode = (int) (number(100, 8, pos, "mode") & 07777);
            String normalised = MemberNames.normalise(name);
            ArchiveMember m = new ArchiveMember(normalised, kind, kind == ArchiveMember.Type.FILE ? size : 0, mode, link, modified);
            if (kind == ArchiveMember.Type.FILE && dataOffset + size > fileSize) {
                throw new ArchiveException("archive member " + normalised + " claims " + size
                        + " bytes but the archive ends " + Math.max(0, fileSize - dataOffset) + " bytes after its header");
            }
            out.add(new Entry(m, dataOffset));
            if (out.size() > limits.maxMembers()) throw new ArchiveException("archive holds more than " + limits.maxMembers() + " members");
            longName = longLink = null;
            pax = null;
            pos = next(dataOffset, size);
        }
        return out;
    }

    private static ArchiveMember.Type kind(byte type, String name) {
        return switch (type) {
            case '0', 0, '7' -> name.endsWith("/") ? ArchiveMember.Type.DIRECTORY : ArchiveMember.Type.FILE;
            case '5' -> ArchiveMember.Type.DIRECTORY;
            case '2' -> ArchiveMember.Type.SYMLINK;
            case '1' -> ArchiveMember.Type.HARDLINK;
            default -> ArchiveMember.Type.OTHER;                         // devices, FIFOs, GNU sparse/volume/multi-volume entries
        };
    }

    /** The ustar name: {@code prefix/name} when the POSIX magic says the prefix field is one. */
    private String ustarName() {
        String name = cString(header, 0, 100);
        boolean posix = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r'
                && header[262] == 0;
        if (posix && header[345] != 0) return cString(header, 345, 155) + "/" + name;
        return name;
    }

    private long next(long dataOffset, long size) {
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        if (padded < 0 || dataOffset > Long.MAX_VALUE - padded) throw corrupt("a member size overflows");
        return dataOffset + padded;
    }

    private byte[] meta(long offset, long size, long headerPos) throws IOException {
        if (size > MAX_META) throw corrupt("the long-name or PAX header at offset " + headerPos + " claims " + size + " bytes");
        if (offset + size > fileSize) throw corrupt("the long-name or PAX header at offset " + headerPos + " runs past the end (truncated?)");
        byte[] b = new byte[(int) size];
        readFully(offset, b, b.length);
        return b;
    }

    /** PAX records: {@code "LEN key=value\n"}, LEN counting the whole record. */
    private Map<String, String> pax(byte[] b, long headerPos) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        while (i < b.length) {
            if (b[i] == 0) break;                                      // NUL padding after the last record
            int sp = i;
            long len = 0;
            while (sp < b.length && b[sp] >= '0' && b[sp] <= '9' && len < MAX_META) len = len * 10 + (b[sp++] - '0');
            if (sp == i || sp >= b.length || b[sp] != ' ' || len <= sp - i || i + len > b.length || b[(int) (i + len - 1)] != '\n') {
                throw corrupt("malformed PAX record in the header at offset " + headerPos);
            }
            int end = (int) (i + len - 1);
            int eq = -1;
            for (int k = sp + 1; k < end; k++) if (b[k] == '=') { eq = k; break; }
            if (eq < 0) throw corrupt("malformed PAX record in the header at offset " + headerPos);
            out.put(new String(b, sp + 1, eq - sp - 1, StandardCharsets.UTF_8), new String(b, eq + 1, end - eq - 1, StandardCharsets.UTF_8));
            i = (int) (i + len);
        }
        return out;
    }

    private long paxNumber(String v, long headerPos, String what) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw corrupt("PAX " + what + " '" + MemberNames.printable(v) + "' in the header at offset " + headerPos + " is not a number");
        }
    }

    private Instant paxTime(String v, long headerPos) {
        try {
            String t = v.trim();
            int dot = t.indexOf('.');
            return epoch(Long.parseLong(dot < 0 ? t : t.substring(0, dot)), headerPos);
        } catch (NumberFormatException e) {
            throw corrupt("PAX mtime '" + MemberNames.printable(v) + "' in the header at offset " + headerPos + " is not a time");
        }
    }

    private Instant epoch(long seconds, long headerPos) {
        if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
            throw corrupt("mtime out of range in the header at offset " + headerPos);
        }
        return Instant.ofEpochSecond(seconds);
    }

    /** Octal ASCII (space or NUL terminated), or GNU base-256 when the first byte has its top bit set. */
    private long number(int off, int len, long headerPos, String what) {
        if ((header[off] & 0x80) != 0) {
            if ((header[off] & 0x40) != 0) throw corrupt("negative " + what + " in the header at offset " + headerPos);
            long v = header[off] & 0x3f;
            for (int i = off + 1; i < off + len; i++) {
                if (v > (Long.MAX_VALUE >>> 8)) throw corrupt(what + " out of range in the header at offset " + headerPos);
                v = (v << 8) | (header[i] & 0xff);
            }
            return v;
        }
        int i = off, end = off + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) i++;
        long v = 0;
        for (; i < end && header[i] != ' ' && header[i] != 0; i++) {
            byte c = header[i];
            if (c < '0' || c > '7' || v > (Long.MAX_VALUE >>> 3)) throw corrupt("bad " + what + " field in the header at offset " + headerPos);
            v = (v << 3) | (c - '0');
        }
        return v;
    }

    /** The stored checksum must equal the header's byte sum with the checksum field read as spaces (unsigned or, as old tars wrote it, signed). */
    private void verifyChecksum(long headerPos) {
        long stored = number(148, 8, headerPos, "checksum");
        long unsigned = 0, signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) throw corrupt("header checksum mismatch at offset " + headerPos + " (not a tar, or damaged)");
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private void readFully(long pos, byte[] dst, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(dst, 0, len);
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos + buf.position());
            if (n < 0) throw corrupt("it ends at " + (pos + buf.position()) + " bytes inside a header (truncated?)");
        }
    }

    private ArchiveException corrupt(String why) {
        return new ArchiveException("corrupt tar archive " + fileName + ": " + why);
    }
}
