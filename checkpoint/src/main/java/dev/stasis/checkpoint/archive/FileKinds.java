package dev.stasis.checkpoint.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The files an analyst mixes up with a checkpoint archive, told apart by their
 * first bytes so that the error names what the file is and which command reads
 * it, instead of a complaint about tar headers.
 */
public final class FileKinds {
    /** A scap capture starts with its section header block, type 0x0A0D0D0A (the pcapng SHB value). */
    private static final byte[] SCAP = {0x0a, 0x0d, 0x0d, 0x0a};
    /** A CRIU image starts with IMG_COMMON (0x54564319) or IMG_SERVICE (0x55105940), little-endian. */
    private static final byte[] CRIU_COMMON = {0x19, 0x43, 0x56, 0x54};
    private static final byte[] CRIU_SERVICE = {0x40, 0x59, 0x10, 0x55};

    private FileKinds() {}

    /** Throws a one-line {@link ArchiveException} when {@code head} is the start of a file of another kind. */
    static void refuseOtherKinds(Path file, byte[] head, String how) {
        String name = file.getFileName().toString();
        if (startsWith(head, SCAP)) {
            throw new ArchiveException(name + " is a " + how + "syscall capture (.scap), not a checkpoint archive: read it with `stasis capture`");
        }
        if (startsWith(head, CRIU_COMMON) || startsWith(head, CRIU_SERVICE)) {
            throw new ArchiveException(name + " is a single CRIU image, not a checkpoint archive: decode it with `stasis crit decode -i " + name + "`");
        }
    }

    /** The same, and text: only for a file's first 512 bytes, as four bytes of a tar header look like text too. */
    static void refuseOtherKindsOrText(Path file, byte[] head) {
        refuseOtherKinds(file, head, "");
        if (isText(head)) throw new ArchiveException(file.getFileName() + " is a text file, not a checkpoint archive");
    }

    /**
     * Whether a file's first bytes are text (UTF-8 or ASCII): no control characters but
     * tab, line and page breaks. Every reader that refuses a file says "a text file"
     * from this one test.
     */
    public static boolean isText(byte[] head) {
        if (head.length == 0) return false;
        for (byte b : head) {
            int u = b & 0xff;
            if (u < 0x09 || (u > 0x0d && u < 0x20) || u == 0x7f) return false;
        }
        return true;
    }

    /** The same for a decompressed stream, which is left where it was. */
    static void refuseOtherKinds(Path file, InputStream in, String how) throws IOException {
        in.mark(8);
        byte[] head = in.readNBytes(4);
        in.reset();
        refuseOtherKinds(file, head, how);
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (a[i] != prefix[i]) return false;
        return true;
    }
}
