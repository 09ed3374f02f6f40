package dev.stasis.checkpoint.criu;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.stasis.checkpoint.criu.images.GhostFile.ghost_chunk_entry;
import dev.stasis.checkpoint.criu.images.GhostFile.ghost_file_entry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code ghost-file-<id>.img} indexed, the one reader of CRIU's ghost files (files deleted
 * while open or mapped, whose contents CRIU saves). CRIU ({@code criu/files-reg.c},
 * {@code dump_ghost_file}) writes a {@code ghost_file_entry}, then either the raw file up to
 * the end of the image, or, when {@code chunks} is set, a {@code ghost_chunk_entry} followed
 * by its {@code len} raw bytes for every data extent (holes between extents read as zeros).
 * Only the index is kept: the bytes are read from the image when asked for.
 *
 * @param mode     st_mode of the deleted file (type and permission bits)
 * @param size     the file's size as recorded ({@code size}), or the raw data's length when the entry has none
 * @param modified the file's mtime ({@code mtim}), or null
 * @param chunked  whether the image holds extents rather than the whole file
 * @param extents  where the file's bytes lie in the image, in file order
 */
public record GhostFileImage(int mode, long size, Instant modified, boolean chunked, List<Extent> extents) {
    private static final int MAX_ENTRY = 1 << 16; // a ghost or chunk header is a few dozen bytes
    private static final int S_IFMT = 0170000, S_IFREG = 0100000;

    /** {@code length} file bytes at file offset {@code fileOffset} are at {@code imageOffset} in the image. */
    public record Extent(long fileOffset, long length, long imageOffset) {}

    public GhostFileImage {
        extents = List.copyOf(extents);
    }

    /**
     * Indexes the image {@code name} of {@code imageSize} bytes. A damaged image (truncated,
     * a header that does not parse, chunks out of order or past the file's size) is an
     * {@link ImageFormatException} naming it.
     */
    public static GhostFileImage read(String name, long imageSize, PositionalInput in) throws IOException {
        long pos = 0;
        int magic = u32(name, in, imageSize, pos);
        pos += 4;
        if (magic == ImageType.IMG_COMMON_MAGIC || magic == ImageType.IMG_SERVICE_MAGIC) pos += 4;
        byte[] head = entry(name, in, imageSize, pos);
        pos += 4 + head.length;
        ghost_file_entry g = parse(name, head, true);
        Instant modified = g.hasMtim() ? Instant.ofEpochSecond(g.getMtim().getTvSec(), g.getMtim().getTvUsec() * 1000L) : null;
        List<Extent> extents = new ArrayList<>();
        if (!g.getChunks()) {
            // the whole file, running to the end of the image
            long len = Math.max(0, imageSize - pos);
            if (len > 0) extents.add(new Extent(0, len, pos));
            return new GhostFileImage(g.getMode(), g.hasSize() ? g.getSize() : len, modified, false, extents);
        }
        long size = g.getSize(), end = 0;
        while (pos < imageSize) {
            byte[] raw = entry(name, in, imageSize, pos);
            pos += 4 + raw.length;
            ghost_chunk_entry c = parse(name, raw, false);
            if (c.getOff() < end || c.getLen() < 0 || c.getOff() + c.getLen() > size || c.getLen() > imageSize - pos)
                throw new ImageFormatException(name + ": chunk at file offset " + c.getOff() + " (" + c.getLen() + " bytes) is out of order or past the end");
            extents.add(new Extent(c.getOff(), c.getLen(), pos));
            end = c.getOff() + c.getLen();
            pos += c.getLen();
        }
        return new GhostFileImage(g.getMode(), size, modified, true, extents);
    }

    /** A regular file; a ghost symlink, directory or device has no content. */
    public boolean regular() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** How many bytes the content has: the recorded size for a chunked image, else the raw data's length. */
    public long contentLength() {
        if (chunked) return size;
        return extents.isEmpty() ? 0 : extents.getFirst().length();
    }

    /** Fills {@code dst} with the content from {@code fileOffset}: zeros in holes and past the end. */
    public void readAt(PositionalInput in, long fileOffset, byte[] dst) throws IOException {
        java.util.Arrays.fill(dst, (byte) 0);
        long to = fileOffset + dst.length;
        for (Extent x : extents) {
            long s = Math.max(fileOffset, x.fileOffset()), e = Math.min(to, x.fileOffset() + x.length());
            if (s >= e) continue;
            readFully("ghost file image", in, x.imageOffset() + (s - x.fileOffset()), ByteBuffer.wrap(dst, (int) (s - fileOffset), (int) (e - s)));
        }
    }

    /** Writes the {@link #contentLength()} bytes of content, holes as zeros, through a small buffer. */
    public void writeContent(PositionalInput in, OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (long pos = 0, n = contentLength(); pos < n; ) {
            int k = (int) Math.min(buf.length, n - pos);
            byte[] b = k == buf.length ? buf : new byte[k];
            readAt(in, pos, b);
            out.write(b);
            pos += k;
        }
    }

    private static <T> T parse(String name, byte[] raw, boolean head) {
        try {
            @SuppressWarnings("unchecked")
            T t = (T) (head ? ghost_file_entry.parseFrom(raw) : ghost_chunk_entry.parseFrom(raw));
            return t;
        } catch (InvalidProtocolBufferException e) {
            throw new ImageFormatException(name + ": malformed entry: " + e.getMessage());
        }
    }

    private static byte[] entry(String name, PositionalInput in, long size, long pos) throws IOException {
        int len = u32(name, in, size, pos);
        if (len < 0 || len > MAX_ENTRY || len > size - pos - 4)
            throw new ImageFormatException(name + ": entry at offset " + pos + " claims " + Integer.toUnsignedString(len) + " bytes");
        byte[] b = new byte[len];
        readFully(name, in, pos + 4, ByteBuffer.wrap(b));
        return b;
    }

    private static int u32(String name, PositionalInput in, long size, long pos) throws IOException {
        if (pos + 4 > size) throw new ImageFormatException(name + ": truncated at offset " + pos);
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(name, in, pos, b);
        return b.getInt(0);
    }

    private static void readFully(String name, PositionalInput in, long position, ByteBuffer dst) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = in.read(pos, dst);
            if (n < 0) throw new ImageFormatException(name + ": ends before offset " + pos);
            pos += n;
        }
    }
}
