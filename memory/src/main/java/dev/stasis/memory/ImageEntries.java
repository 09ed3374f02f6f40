package dev.stasis.memory;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a CRIU image (magic words, then length-prefixed protobuf entries)
 * into typed messages. Only the handful of image types the memory module
 * needs, none of which carries extra payload after its entries.
 */
final class ImageEntries {
    static final int IMG_COMMON = 0x54564319;
    static final int IMG_SERVICE = 0x55105940;
    /** No legitimate mm/pagemap/core entry comes close; a bigger length is corruption. */
    private static final int MAX_ENTRY = 64 << 20;

    private ImageEntries() {}

    static <T> List<T> parse(String name, byte[] bytes, Parser<T> parser) {
        List<T> out = new ArrayList<>();
        int i = 0;
        for (byte[] entry : raw(name, bytes)) {
            try {
                out.add(parser.parseFrom(entry));
            } catch (InvalidProtocolBufferException e) {
                throw new MemoryException(name + ": malformed entry " + i + ": " + e.getMessage(), e);
            }
            i++;
        }
        return out;
    }

    /** The entries' protobuf bytes, unparsed. */
    static List<byte[]> raw(String name, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 4) throw new MemoryException(name + ": too short for a CRIU image (" + bytes.length + " bytes)");
        int magic = b.getInt();
        if (magic == IMG_COMMON || magic == IMG_SERVICE) {
            if (b.remaining() < 4) throw new MemoryException(name + ": image ends inside its magic");
            b.getInt();
        }
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 4) throw new MemoryException(name + ": truncated entry header at offset " + b.position());
            int len = b.getInt();
            if (len < 0 || len > MAX_ENTRY || len > b.remaining())
                throw new MemoryException(name + ": entry at offset " + (b.position() - 4) + " claims " + Integer.toUnsignedString(len)
                        + " bytes, " + b.remaining() + " left");
            out.add(java.util.Arrays.copyOfRange(bytes, b.position(), b.position() + len));
            b.position(b.position() + len);
        }
        return out;
    }
}
