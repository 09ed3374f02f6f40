package dev.stasis.checkpoint.criu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.stasis.checkpoint.criu.images.GhostFile;
import dev.stasis.checkpoint.criu.images.IpcMsg;
import dev.stasis.checkpoint.criu.images.TcpStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts decoded images into exactly the JSON that {@code crit decode}
 * (CRIU 4.2.1) prints: {@code {"magic": NAME, "entries": [...]}}, fields in
 * field-number order, enums by name, bytes in base64 (MIME lines), extra
 * payloads under "extra" the way crit's handlers lay them out. With
 * {@code pretty} the (criu) field options apply as in {@code crit decode --pretty}
 * and {@code crit show}: hex, dotted addresses, flag names, major:minor.
 */
public final class CritJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CritJson() {}

    /** What {@code crit decode -i IMAGE} prints, as a tree. */
    public static JsonNode decode(CriuImage image) {
        return decode(image, false, false);
    }

    /**
     * @param pretty     apply crit's field-specific formats ({@code --pretty}, {@code crit show})
     * @param noPayload  replace extra payloads by their size, as {@code crit show --nopl}
     */
    public static JsonNode decode(CriuImage image, boolean pretty, boolean noPayload) {
        ObjectNode root = F.objectNode();
        root.put("magic", image.type().critName());
        ArrayNode entries = root.putArray("entries");
        for (ImageEntry e : image.entries()) {
            ObjectNode o = PbDict.toDict(e.message(), pretty);
            if (e.extra() != null) {
                JsonNode extra = noPayload ? skipped(image.type(), e) : extra(image.type(), e);
                if (extra != null) o.set("extra", extra);
            }
            entries.add(o);
        }
        return root;
    }

    /** The text {@code crit decode} writes (without the newline it adds on stdout). */
    public static String decodeToString(CriuImage image, boolean pretty) {
        return PythonJson.write(decode(image, pretty, false), pretty);
    }

    /** The JSON of one message the way crit's pb2dict renders it. */
    public static ObjectNode message(Message m, boolean pretty) {
        return PbDict.toDict(m, pretty);
    }

    private static JsonNode extra(ImageType type, ImageEntry e) {
        byte[] x = e.extra();
        return switch (type.payload()) {
            case TCP_QUEUES -> {
                var t = (TcpStream.tcp_stream_entry) e.message();
                int inq = (int) Math.min(x.length, Integer.toUnsignedLong(t.getInqLen()));
                ObjectNode q = F.objectNode();
                q.put("inq", PbDict.base64Lines(java.util.Arrays.copyOfRange(x, 0, inq)));
                q.put("outq", PbDict.base64Lines(java.util.Arrays.copyOfRange(x, inq, x.length)));
                yield q;
            }
            case IPC_SEM -> {
                ArrayNode a = F.arrayNode();
                ByteBuffer b = ByteBuffer.wrap(x).order(ByteOrder.LITTLE_ENDIAN);
                while (b.remaining() >= 2) a.add(b.getShort() & 0xffff);
                yield a;
            }
            case IPC_MSG -> messageQueue(x);
            default -> F.textNode(PbDict.base64Lines(x));
        };
    }

    /** crit lays a message queue out as [msg, base64 data, msg, base64 data, ...]. */
    private static ArrayNode messageQueue(byte[] raw) {
        ArrayNode a = F.arrayNode();
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 4) {
            int size = b.getInt();
            byte[] body = new byte[size];
            b.get(body);
            IpcMsg.ipc_msg msg;
            try {
                msg = IpcMsg.ipc_msg.parser().parsePartialFrom(body);
            } catch (InvalidProtocolBufferException ex) {
                throw new ImageFormatException("invalid ipc message: " + ex.getMessage());
            }
            int msize = msg.getMsize();
            byte[] data = new byte[msize];
            b.get(data);
            b.position(b.position() + (8 - msize % 8) % 8);
            a.add(PbDict.toDict(msg, false));
            a.add(PbDict.base64Lines(data));
        }
        return a;
    }

    /** crit show --nopl: "... <SIZE>" in place of the payload; ghost files show nothing. */
    private static JsonNode skipped(ImageType type, ImageEntry e) {
        long size = switch (type.payload()) {
            case GHOST -> -1;
            case TCP_QUEUES -> {
                var t = (TcpStream.tcp_stream_entry) e.message();
                yield Integer.toUnsignedLong(t.getInqLen()) + Integer.toUnsignedLong(t.getOutqLen());
            }
            case IPC_MSG -> queuePayloadLength(e.extra());
            default -> e.extra().length;
        };
        return size < 0 ? null : F.textNode("... <" + humanReadable(size) + ">");
    }

    private static long queuePayloadLength(byte[] raw) {
        long total = 0;
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 4) {
            int size = b.getInt();
            byte[] body = new byte[size];
            b.get(body);
            try {
                int msize = IpcMsg.ipc_msg.parser().parsePartialFrom(body).getMsize();
                total += size + msize;
                b.position(b.position() + msize + (8 - msize % 8) % 8);
            } catch (InvalidProtocolBufferException ex) {
                throw new ImageFormatException("invalid ipc message: " + ex.getMessage());
            }
        }
        return total;
    }

    /** crit's human_readable: 512B, 1.5KB, 3MB. */
    static String humanReadable(double num) {
        String[] units = {"", "K", "M", "G", "T", "P", "E", "Z"};
        for (String unit : units) {
            if (num < 1024.0) {
                if (Math.floor(num) == num) return String.format("%d%sB", (long) num, unit);
                return new BigDecimal(num).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + unit + "B";
            }
            num /= 1024.0;
        }
        return new BigDecimal(num).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + "YB";
    }

    static boolean isGhostChunk(Message m) {
        return m instanceof GhostFile.ghost_chunk_entry;
    }
}
