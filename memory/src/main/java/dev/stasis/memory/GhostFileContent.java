package dev.stasis.memory;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.stasis.checkpoint.criu.images.GhostFile.ghost_chunk_entry;
import dev.stasis.checkpoint.criu.images.GhostFile.ghost_file_entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Random access to the file kept in a {@code ghost-file-<id>.img} without
 * loading it: CRIU writes a {@code ghost_file_entry}, then either the raw file
 * (small files) or, when {@code chunks} is set, a {@code ghost_chunk_entry}
 * followed by its {@code len} raw bytes for every data extent (holes between
 * extents read as zeros). Only the chunk index is kept in memory.
 */
final class GhostFileContent {
    private static final int PAGE = Pagemap.PAGE_SIZE;
    private static final int MAX_ENTRY = 1 << 16;   // a ghost or chunk header is a few dozen bytes
    private static final int S_IFMT = 0170000, S_IFREG = 0100000;

    /** {@code len} file bytes at file offset {@code off} are at {@code imageOffset} in the image. */
    private record Chunk(long off, long len, long imageOffset) {}

    private final String image;
    private final PageFile file;
    private final long size;
    private final List<Chunk> chunks;

    private GhostFileContent(String image, PageFile file, long size, List<Chunk> chunks) {
        this.image = image;
        this.file = file;
        this.size = size;
        this.chunks = chunks;
    }

    /** Indexes the image; a ghost that is not a regular file (a symlink, a device) has no content: null. */
    static GhostFileContent open(String image, PageFile file) throws IOException {
        long pos = 0;
        int magic = u32(image, file, pos);
        pos += 4;
        if (magic == ImageEntries.IMG_COMMON || magic == ImageEntries.IMG_SERVICE) pos += 4;
        byte[] head = entry(image, file, pos);
        pos += 4 + head.length;
        ghost_file_entry g = parse(image, () -> ghost_file_entry.parseFrom(head));
        if ((g.getMode() & S_IFMT) != S_IFREG) return null;
        List<Chunk> chunks = new ArrayList<>();
        if (!g.getChunks()) {
            // small files: the raw bytes run to the end of the image
            long len = file.size() - pos;
            if (len > 0) chunks.add(new Chunk(0, len, pos));
            return new GhostFileContent(image, file, Math.max(0, len), chunks);
        }
        long size = g.getSize(), end = 0;
        while (pos < file.size()) {
            byte[] raw = entry(image, file, pos);
            pos += 4 + raw.length;
            ghost_chunk_entry c = parse(image, () -> ghost_chunk_entry.parseFrom(raw));
            if (c.getOff() < end || c.getLen() < 0 || c.getOff() + c.getLen() > size || c.getLen() > file.size() - pos)
                throw new MemoryException(image + ": chunk at file offset " + c.getOff() + " (" + c.getLen() + " bytes) is out of order or past the end");
            chunks.add(new Chunk(c.getOff(), c.getLen(), pos));
            end = c.getOff() + c.getLen();
            pos += c.getLen();
        }
        return new GhostFileContent(image, file, size, chunks);
    }

    long size() {
        return size;
    }

    /** The file's page {@code index} (4096 bytes, zeros past the end and in holes). */
    byte[] page(long index) throws IOException {
        byte[] page = new byte[PAGE];
        long from = index * PAGE, to = from + PAGE;
        for (Chunk c : chunks) {
            long s = Math.max(from, c.off()), e = Math.min(to, c.off() + c.len());
            if (s >= e) continue;
            file.readFully(c.imageOffset() + (s - c.off()), ByteBuffer.wrap(page, (int) (s - from), (int) (e - s)));
        }
        return page;
    }

    @Override
    public String toString() {
        return image;
    }

    private interface Parse<T> {
        T run() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(String image, Parse<T> p) {
        try {
            return p.run();
        } catch (InvalidProtocolBufferException e) {
            throw new MemoryException(image + ": malformed entry: " + e.getMessage(), e);
        }
    }

    private static byte[] entry(String image, PageFile file, long pos) throws IOException {
        int len = u32(image, file, pos);
        if (len < 0 || len > MAX_ENTRY || len > file.size() - pos - 4)
            throw new MemoryException(image + ": entry at offset " + pos + " claims " + Integer.toUnsignedString(len) + " bytes");
        byte[] b = new byte[len];
        file.readFully(pos + 4, ByteBuffer.wrap(b));
        return b;
    }

    private static int u32(String image, PageFile file, long pos) throws IOException {
        if (pos + 4 > file.size()) throw new MemoryException(image + ": truncated at offset " + pos);
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        file.readFully(pos, b);
        return b.getInt(0);
    }
}
