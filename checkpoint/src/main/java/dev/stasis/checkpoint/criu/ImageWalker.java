package dev.stasis.checkpoint.criu;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.stasis.checkpoint.criu.images.BpfmapData;
import dev.stasis.checkpoint.criu.images.GhostFile;
import dev.stasis.checkpoint.criu.images.IpcMsg;
import dev.stasis.checkpoint.criu.images.IpcSem;
import dev.stasis.checkpoint.criu.images.IpcShm;
import dev.stasis.checkpoint.criu.images.PipeData;
import dev.stasis.checkpoint.criu.images.SkPacket;
import dev.stasis.checkpoint.criu.images.TcpStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks the entries of one CRIU image, decoding one at a time. The header is
 * read when the walker is made. {@link #next()} throws
 * {@link ImageFormatException} on malformed data; I/O failures of the
 * underlying stream surface as {@link UncheckedIOException}.
 */
public final class ImageWalker implements Iterator<ImageEntry> {
    /** No CRIU entry comes near this; a bigger length means corruption, not data. */
    public static final int MAX_ENTRY_BYTES = 64 << 20;
    /** Cap on the bytes after one entry (pipe data, ghost file contents, queues). */
    public static final long MAX_EXTRA_BYTES = 1L << 30;

    private final InputStream in;
    private final ImageType type;
    private long offset;
    private int index;
    private boolean done;
    private ImageEntry pending;
    /** After a ghost file entry with chunks, the rest are ghost_chunk_entry. */
    private boolean ghostChunks;

    ImageWalker(InputStream in) {
        this.in = in;
        this.type = readHeader();
    }

    /** The image kind, from the header. */
    public ImageType type() {
        return type;
    }

    /** Bytes consumed so far. */
    public long offset() {
        return offset;
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !done) pending = readEntry();
        return pending != null;
    }

    @Override
    public ImageEntry next() {
        if (!hasNext()) throw new NoSuchElementException();
        ImageEntry e = pending;
        pending = null;
        return e;
    }

    private ImageType readHeader() {
        byte[] first = readUpTo(4);
        if (first.length == 0) throw new ImageFormatException("empty image: 0 bytes, no magic");
        if (first.length < 4) throw new ImageFormatException("truncated image header: " + first.length + " bytes at offset 0");
        int magic = le32(first);
        if (magic == ImageType.IMG_COMMON_MAGIC || magic == ImageType.IMG_SERVICE_MAGIC) {
            byte[] second = readUpTo(4);
            if (second.length < 4) {
                throw new ImageFormatException("truncated image header: no image magic after the common magic at offset 4");
            }
            magic = le32(second);
        }
        final int m = magic;
        return ImageType.byMagic(magic).orElseThrow(() -> new ImageFormatException(String.format(
                "unknown image magic 0x%x at offset %d (raw data such as pages-*.img has no magic)", m, offset - 4)));
    }

    private ImageEntry readEntry() {
        long at = offset;
        if (type.payload() == ImageType.Payload.GHOST && index == 1 && !ghostChunks) {
            done = true;
            return null;
        }
        byte[] len = readUpTo(4);
        if (len.length == 0) {
            done = true;
            return null;
        }
        if (len.length < 4) {
            throw new ImageFormatException(String.format(
                    "truncated %s image: %d stray bytes at offset %d where an entry length was expected", type, len.length, at));
        }
        int size = le32(len);
        if (size < 0 || size > MAX_ENTRY_BYTES) {
            throw new ImageFormatException(String.format(
                    "%s image entry %d at offset %d declares %d bytes, beyond the %d-byte limit",
                    type, index, at, Integer.toUnsignedLong(size), MAX_ENTRY_BYTES));
        }
        byte[] body = readUpTo(size);
        if (body.length < size) {
            throw new ImageFormatException(String.format(
                    "truncated %s image: entry %d at offset %d declares %d bytes but only %d remain",
                    type, index, at, size, body.length));
        }
        Parser<? extends Message> parser = index == 0 ? type.firstParser() : type.followingParser();
        Message message;
        try {
            // Partial: a missing required field is still worth showing (crit shows what is set).
            message = parser.parsePartialFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new ImageFormatException(String.format("invalid protobuf in %s image entry %d at offset %d: %s",
                    type, index, at, e.getMessage()));
        }
        byte[] extra = readExtra(message, at);
        index++;
        return new ImageEntry(message, extra);
    }

    private byte[] readExtra(Message m, long at) {
        return switch (type.payload()) {
            case NONE, PAGEMAP, RAW -> null;
            case PIPE_BYTES -> exactly(Integer.toUnsignedLong(((PipeData.pipe_data_entry) m).getBytes()), 0, at);
            case SK_QUEUE_BYTES -> exactly(Integer.toUnsignedLong(((SkPacket.sk_packet_entry) m).getLength()), 0, at);
            case TCP_QUEUES -> {
                var t = (TcpStream.tcp_stream_entry) m;
                yield exactly(Integer.toUnsignedLong(t.getInqLen()) + Integer.toUnsignedLong(t.getOutqLen()), 0, at);
            }
            case BPFMAP_BYTES -> {
                var b = (BpfmapData.bpfmap_data_entry) m;
                yield exactly(Integer.toUnsignedLong(b.getKeysBytes()) + Integer.toUnsignedLong(b.getValuesBytes()), 0, at);
            }
            case IPC_SHM -> {
                long size = ((IpcShm.ipc_shm_entry) m).getSize();
                if (size < 0) throw new ImageFormatException("ipc shm entry at offset " + at + " has a negative size");
                yield exactly(size, pad(size, 4), at);
            }
            case IPC_SEM -> {
                long size = 2L * Integer.toUnsignedLong(((IpcSem.ipc_sem_entry) m).getNsems());
                yield exactly(size, pad(size, 8), at);
            }
            case IPC_MSG -> readMessageQueue((IpcMsg.ipc_msg_entry) m, at);
            case GHOST -> {
                if (index == 0) {
                    var g = (GhostFile.ghost_file_entry) m;
                    ghostChunks = g.getChunks();
                    yield ghostChunks ? null : rest(at);
                }
                yield exactly(((GhostFile.ghost_chunk_entry) m).getLen(), 0, at);
            }
        };
    }

    /** The raw queue: per message a u32 length, an ipc_msg, and msize bytes padded to 8. */
    private byte[] readMessageQueue(IpcMsg.ipc_msg_entry q, long at) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long qnum = Integer.toUnsignedLong(q.getQnum());
        for (long i = 0; i < qnum; i++) {
            long msgAt = offset;
            byte[] len = readUpTo(4);
            if (len.length == 0) break; // crit stops quietly at end of file
            if (len.length < 4) throw new ImageFormatException("truncated ipc message length at offset " + msgAt);
            int size = le32(len);
            if (size < 0 || size > MAX_ENTRY_BYTES) {
                throw new ImageFormatException("ipc message at offset " + msgAt + " declares an impossible length " + Integer.toUnsignedLong(size));
            }
            byte[] body = readUpTo(size);
            if (body.length < size) throw new ImageFormatException("truncated ipc message at offset " + msgAt);
            IpcMsg.ipc_msg msg;
            try {
                msg = IpcMsg.ipc_msg.parser().parsePartialFrom(body);
            } catch (InvalidProtocolBufferException e) {
                throw new ImageFormatException("invalid protobuf in ipc message at offset " + msgAt + ": " + e.getMessage());
            }
            long msize = Integer.toUnsignedLong(msg.getMsize());
            byte[] data = exactly(msize, pad(msize, 8), msgAt);
            out.writeBytes(len);
            out.writeBytes(body);
            out.writeBytes(data);
            out.writeBytes(new byte[(int) pad(msize, 8)]);
        }
        return out.toByteArray();
    }

    private static long pad(long size, int to) {
        return (to - size % to) % to;
    }

    /** Reads n extra bytes (then skips padding), failing if the file ends first. */
    private byte[] exactly(long n, long padding, long entryAt) {
        if (n > MAX_EXTRA_BYTES) {
            throw new ImageFormatException(String.format("%s entry at offset %d declares %d payload bytes, beyond the %d-byte limit",
                    type, entryAt, n, MAX_EXTRA_BYTES));
        }
        long at = offset;
        byte[] data = readUpTo((int) n);
        if (data.length < n) {
            throw new ImageFormatException(String.format(
                    "truncated %s image: payload at offset %d of the entry at offset %d declares %d bytes but only %d remain",
                    type, at, entryAt, n, data.length));
        }
        if (padding > 0) {
            byte[] pad = readUpTo((int) padding);
            if (pad.length < padding) throw new ImageFormatException("truncated " + type + " image: padding missing at offset " + offset);
        }
        return data;
    }

    private byte[] rest(long entryAt) {
        byte[] data = readUpTo((int) MAX_EXTRA_BYTES);
        if (data.length == MAX_EXTRA_BYTES && readUpTo(1).length > 0) {
            throw new ImageFormatException("ghost file contents after offset " + entryAt + " exceed " + MAX_EXTRA_BYTES + " bytes");
        }
        return data;
    }

    /** Reads up to n bytes; fewer only at end of stream. Grows as data arrives, so a lying length costs no memory. */
    private byte[] readUpTo(int n) {
        try {
            byte[] b = in.readNBytes(n);
            offset += b.length;
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + type + " image at offset " + offset + ": " + e.getMessage(), e);
        }
    }

    private static int le32(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }
}
