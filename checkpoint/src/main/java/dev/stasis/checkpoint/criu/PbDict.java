package dev.stasis.checkpoint.criu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.stasis.checkpoint.criu.images.Opts;
import dev.stasis.vocabulary.IpAddresses;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Protobuf message to JSON by crit's rules (lib/pycriu/images/pb2dict.py):
 * set fields in field-number order; enums by name; bytes as MIME base64 (or
 * quoted-printable for unix socket names); with pretty, the (criu) options.
 */
final class PbDict {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private PbDict() {}

    /**
     * Each message type's fields in number order, computed once: sorting them for every
     * entry of every image was a tenth of a whole-checkpoint decode. (Descriptors are
     * immutable and live as long as their generated classes.)
     */
    private static final Map<Descriptor, List<FieldDescriptor>> FIELDS = new ConcurrentHashMap<>();

    static ObjectNode toDict(Message m, boolean pretty) {
        return toDict(fieldSet(m), pretty, false);
    }

    /**
     * The message as a {@link DynamicMessage} of the same descriptor: its fields are a map, read
     * without reflection. A generated message answers {@code getField(descriptor)} through its
     * accessor table, which looks up every getter of the class by reflection the first time a type
     * is read (and spins method-handle classes the JDK's AOT cache cannot keep): most of the CPU of a
     * whole-checkpoint decode in a fresh JVM. Re-parsing the message's own bytes is cheaper.
     */
    private static Message fieldSet(Message m) {
        if (m instanceof DynamicMessage) return m;
        try {
            return DynamicMessage.newBuilder(m.getDescriptorForType()).mergeFrom(m.toByteString()).buildPartial();
        } catch (InvalidProtocolBufferException e) {
            throw new ImageFormatException("cannot re-read a " + m.getDescriptorForType().getName() + ": " + e.getMessage());
        }
    }

    private static List<FieldDescriptor> fieldsInOrder(Descriptor type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<FieldDescriptor> fields = new ArrayList<>(t.getFields());
            fields.sort(Comparator.comparingInt(FieldDescriptor::getNumber));
            return List.copyOf(fields);
        });
    }

    private static ObjectNode toDict(Message m, boolean pretty, boolean hex) {
        ObjectNode o = F.objectNode();
        for (FieldDescriptor f : fieldsInOrder(m.getDescriptorForType())) {
            if (f.isRepeated()) {
                int n = m.getRepeatedFieldCount(f);
                if (n == 0) continue;
                ArrayNode a = F.arrayNode();
                if (pretty && opts(f).getIpadd()) {
                    a.add(ipAddress(m, f, n));
                } else {
                    for (int i = 0; i < n; i++) a.add(cast(f, m.getRepeatedField(f, i), pretty, hex));
                }
                o.set(f.getName(), a);
            } else if (m.hasField(f)) {
                o.set(f.getName(), cast(f, m.getField(f), pretty, hex));
            }
        }
        return o;
    }

    private static Opts.CRIU_Opts opts(FieldDescriptor f) {
        return f.getOptions().getExtension(Opts.criu);
    }

    private static JsonNode cast(FieldDescriptor f, Object value, boolean pretty, boolean hex) {
        // the (criu) options matter to pretty output and to bytes only: reading them costs an extension lookup per value
        Opts.CRIU_Opts opt = pretty || f.getType() == FieldDescriptor.Type.BYTES ? opts(f) : null;
        if (pretty) hex = hex || opt.getHex();
        switch (f.getType()) {
            case MESSAGE, GROUP:
                return toDict((Message) value, pretty, hex);
            case BYTES: {
                byte[] b = ((ByteString) value).toByteArray();
                if ("unix_name".equals(opt.getConv())) return F.textNode(QuotedPrintable.encode(b));
                return F.textNode(base64Lines(b));
            }
            case ENUM:
                return F.textNode(((EnumValueDescriptor) value).getName());
            case BOOL:
                return F.booleanNode((Boolean) value);
            case STRING:
                return F.textNode((String) value);
            case FLOAT, DOUBLE:
                // crit has no cast for these; no CRIU image uses them.
                return F.numberNode(((Number) value).doubleValue());
            default:
                if (!pretty) return number(f, value);
                BigInteger v = integer(f, value);
                if (hex) return F.textNode(pyHex(v));
                if (opt.getDev()) return F.textNode(dev(v.longValue(), opt.getOdev()));
                if (opt.hasFlags() && !opt.getFlags().isEmpty()) {
                    Map<String, Long> map = CritFlags.flagMap(opt.getFlags());
                    return F.textNode(map == null ? pyHex(v) : CritFlags.mapFlags(v.longValue(), map));
                }
                if (opt.hasDict() && !opt.getDict().isEmpty()) {
                    String name = CritFlags.dictName(opt.getDict(), f.getName(), v.longValue());
                    if (name != null) return F.textNode(name);
                }
                return number(v);
        }
    }

    /** The field's value as the unsigned or signed integer it is on the wire. */
    private static BigInteger integer(FieldDescriptor f, Object value) {
        return switch (f.getType()) {
            case UINT32, FIXED32 -> BigInteger.valueOf(Integer.toUnsignedLong((Integer) value));
            case UINT64, FIXED64 -> {
                long l = (Long) value;
                yield l >= 0 ? BigInteger.valueOf(l) : BigInteger.valueOf(l).add(TWO_64);
            }
            default -> BigInteger.valueOf(((Number) value).longValue());
        };
    }

    /** {@code number(integer(f, value))} without a BigInteger for the values that fit a long (all but u64 above 2^63). */
    private static JsonNode number(FieldDescriptor f, Object value) {
        long l;
        switch (f.getType()) {
            case UINT32, FIXED32 -> l = Integer.toUnsignedLong((Integer) value);
            case UINT64, FIXED64 -> {
                l = (Long) value;
                if (l < 0) return number(BigInteger.valueOf(l).add(TWO_64));
            }
            default -> l = ((Number) value).longValue();
        }
        if (l == (int) l) return F.numberNode((int) l);
        return F.numberNode(l);
    }

    /** The node type Jackson's parser would give the number, so trees compare equal. */
    static JsonNode number(BigInteger v) {
        if (v.bitLength() < 32) return F.numberNode(v.intValue());
        if (v.bitLength() < 64) return F.numberNode(v.longValue());
        return F.numberNode(v);
    }

    /** Python's "0x%x" % v (a negative value prints as 0x-5). */
    static String pyHex(BigInteger v) {
        return "0x" + v.toString(16);
    }

    /** Python base64.encodebytes: 76-character lines, each ending in a newline. */
    static String base64Lines(byte[] b) {
        if (b.length == 0) return "";
        // the MIME encoder breaks the same 76-character lines, and leaves out only the last newline
        return MIME_LINES.encodeToString(b) + "\n";
    }

    private static final Base64.Encoder MIME_LINES = Base64.getMimeEncoder(76, new byte[] {'\n'});

    /** crit's decode_dev: the kernel's 12:20 split, or glibc's major()/minor() for old-format fields. */
    static String dev(long v, boolean old) {
        if (old) {
            long major = ((v >>> 8) & 0xfff) | ((v >>> 32) & ~0xfffL & 0xffffffffL);
            long minor = (v & 0xff) | ((v >>> 12) & ~0xffL & 0xffffffffL);
            return major + ":" + minor;
        }
        return (v >>> 20) + ":" + (v & ((1 << 20) - 1));
    }

    /** An address held as u32 words in network order: one word IPv4, else the first four words IPv6. */
    private static JsonNode ipAddress(Message m, FieldDescriptor f, int n) {
        if (n == 1) {
            long v = Integer.toUnsignedLong(Integer.reverseBytes((Integer) m.getRepeatedField(f, 0)));
            return F.textNode((v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff));
        }
        byte[] a = new byte[16];
        for (int i = 0; i < 4 && i < n; i++) {
            int w = (Integer) m.getRepeatedField(f, i); // the word's bytes in memory order are the address's
            for (int k = 0; k < 4; k++) a[4 * i + k] = (byte) (w >>> (8 * k));
        }
        return F.textNode(IpAddresses.pythonIpaddress(a)); // what crit's pb2dict prints
    }

}
