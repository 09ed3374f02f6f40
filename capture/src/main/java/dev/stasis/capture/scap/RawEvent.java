package dev.stasis.capture.scap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One event as stored in an event block: header fields and the raw parameter
 * values, decoded lazily. {@code num} is sysdig's %evt.num (1-based position
 * among the capture's events). Parameter bytes live in one array shared by all
 * parameters of the event; the accessors read them little-endian.
 */
public final class RawEvent {
    /** The most parameters an event may carry (libscap's PPM_MAX_EVENT_PARAMS). */
    static final int MAX_PARAMS = 64;

    // Mutable so that a reader can reuse one instance per event (see ScapReader.nextShared)
    // and a thread can keep a private copy of its last enter event (copyFrom).
    private long num;
    private long blockOffset;
    private int blockType;
    private int cpu;
    private int dumpFlags;
    private long ts;
    private long tid;
    private int type;
    private EventInfo info;
    private byte[] data;
    private int[] offsets;
    private int[] lengths;
    private int nparams;

    public RawEvent(long num, long blockOffset, int blockType, int cpu, int dumpFlags, long ts, long tid, int type,
            byte[] data, int[] offsets, int[] lengths) {
        setHeader(num, blockOffset, blockType, cpu, dumpFlags, ts, tid, type, EventTable.get().info(type), data, offsets.length);
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /** An empty holder, to be filled by {@link #copyFrom} or a reader. */
    public RawEvent() {
        this.data = new byte[0];
        this.offsets = new int[MAX_PARAMS];
        this.lengths = new int[MAX_PARAMS];
    }

    /** Header fields of an event parsed in place; the parameter arrays are filled by the caller. */
    void setHeader(long num, long blockOffset, int blockType, int cpu, int dumpFlags, long ts, long tid, int type,
            EventInfo info, byte[] data, int nparams) {
        this.num = num;
        this.blockOffset = blockOffset;
        this.blockType = blockType;
        this.cpu = cpu;
        this.dumpFlags = dumpFlags;
        this.ts = ts;
        this.tid = tid;
        this.type = type;
        this.info = info;
        this.data = data;
        this.nparams = nparams;
    }

    int[] offsetsArray() { return offsets; }
    int[] lengthsArray() { return lengths; }

    /**
     * Overwrites this event with a copy of {@code src} whose parameter bytes live in
     * this event's own array (reused when large enough): how a thread keeps its last
     * enter event while the reader's shared event moves on.
     */
    public RawEvent copyFrom(RawEvent src) {
        int n = src.nparams;
        if (offsets.length < n) {
            offsets = new int[n];
            lengths = new int[n];
        }
        int[] so = src.offsets;
        int[] sl = src.lengths;
        int first = n == 0 ? 0 : so[0];
        int total = 0;
        boolean contiguous = true; // as read from a block: values back to back, one copy does
        for (int i = 0; i < n; i++) {
            contiguous &= so[i] == first + total;
            offsets[i] = total;
            lengths[i] = sl[i];
            total += sl[i];
        }
        if (data.length < total) {
            data = new byte[Math.max(total, 64)];
        }
        if (contiguous) {
            System.arraycopy(src.data, first, data, 0, total);
        } else {
            for (int i = 0; i < n; i++) {
                System.arraycopy(src.data, so[i], data, offsets[i], sl[i]);
            }
        }
        num = src.num;
        blockOffset = src.blockOffset;
        blockType = src.blockType;
        cpu = src.cpu;
        dumpFlags = src.dumpFlags;
        ts = src.ts;
        tid = src.tid;
        type = src.type;
        info = src.info;
        nparams = n;
        return this;
    }

    /** An independent copy (its own arrays). */
    public RawEvent copy() {
        return new RawEvent().copyFrom(this);
    }

    /** Builds an event from whole parameter values (for writers and tests). */
    public static RawEvent of(long num, int cpu, long ts, long tid, int type, byte[]... params) {
        int total = 0;
        for (byte[] p : params) {
            total += p.length;
        }
        byte[] data = new byte[total];
        int[] offs = new int[params.length];
        int[] lens = new int[params.length];
        int pos = 0;
        for (int i = 0; i < params.length; i++) {
            offs[i] = pos;
            lens[i] = params[i].length;
            System.arraycopy(params[i], 0, data, pos, params[i].length);
            pos += params[i].length;
        }
        return new RawEvent(num, -1, BlockType.EVENT_V2, cpu, 0, ts, tid, type, data, offs, lens);
    }

    public long num() { return num; }
    /** Offset of the event's block in the uncompressed capture (-1 if not read from a file). */
    public long blockOffset() { return blockOffset; }
    public int blockType() { return blockType; }
    public int cpu() { return cpu; }
    /** The dump flags of EVF blocks (0 otherwise). */
    public int dumpFlags() { return dumpFlags; }
    /** Timestamp, nanoseconds since the epoch. */
    public long ts() { return ts; }
    public long tid() { return tid; }
    public int type() { return type; }
    public int nparams() { return nparams; }

    /** The table entry for this event's type, or null if the type is unknown. */
    public EventInfo info() {
        return info;
    }

    public int paramLength(int i) {
        java.util.Objects.checkIndex(i, nparams);
        return lengths[i];
    }

    /** A copy of parameter {@code i}'s bytes. */
    public byte[] bytes(int i) {
        java.util.Objects.checkIndex(i, nparams);
        return Arrays.copyOfRange(data, offsets[i], offsets[i] + lengths[i]);
    }

    /** The shared backing array and the offset of parameter i within it (no copy). */
    public byte[] data() { return data; }
    public int offset(int i) {
        java.util.Objects.checkIndex(i, nparams);
        return offsets[i];
    }

    /** Integer value of a parameter of 1, 2, 4 or 8 bytes, sign-extended if {@code signed}. */
    public long integer(int i, boolean signed) {
        java.util.Objects.checkIndex(i, nparams);
        int off = offsets[i];
        return switch (lengths[i]) {
            case 1 -> signed ? data[off] : data[off] & 0xFFL;
            case 2 -> {
                int v = (data[off] & 0xFF) | (data[off + 1] & 0xFF) << 8;
                yield signed ? (short) v : v;
            }
            case 4 -> {
                int v = (data[off] & 0xFF) | (data[off + 1] & 0xFF) << 8 | (data[off + 2] & 0xFF) << 16
                        | (data[off + 3] & 0xFF) << 24;
                yield signed ? v : v & 0xFFFFFFFFL;
            }
            case 8 -> Le.u64(data, off);
            default -> 0;
        };
    }

    /** A NUL-terminated string parameter (the terminator and anything after it dropped). */
    public String string(int i) {
        java.util.Objects.checkIndex(i, nparams);
        int off = offsets[i];
        int end = off;
        int lim = off + lengths[i];
        while (end < lim && data[end] != 0) {
            end++;
        }
        return new String(data, off, end - off, StandardCharsets.UTF_8);
    }

    /** Total size of this event as written in a V2 block (header + lengths + values). */
    public int encodedLength(boolean largeLengths) {
        int len = 26 + nparams * (largeLengths ? 4 : 2);
        for (int i = 0; i < nparams; i++) {
            len += lengths[i];
        }
        return len;
    }

    @Override
    public String toString() {
        EventInfo info = info();
        return "RawEvent[num=" + num + ", ts=" + ts + ", tid=" + tid + ", type=" + type
                + (info != null ? " (" + info.name() + " " + info.direction() + ")" : "") + ", nparams=" + nparams() + "]";
    }
}
