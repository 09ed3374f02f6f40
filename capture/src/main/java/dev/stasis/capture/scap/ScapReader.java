package dev.stasis.capture.scap;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a scap capture as a stream of blocks: the section header and the metadata
 * blocks before the first event (machine, processes, fds, interfaces, users) on
 * open, then one event per {@link #next()} call. Gzip-compressed captures are
 * recognised by their magic. Unknown blocks are skipped by their length; events
 * whose type is beyond the event table are skipped (and counted) as libscap does,
 * so event numbers stay those sysdig prints.
 */
public final class ScapReader implements Closeable {
    /** libscap refuses non-large event blocks bigger than its read buffer. */
    static final int MAX_EVENT_BLOCK = 1 << 16;
    static final int MAX_LARGE_EVENT_BLOCK = 64 << 20;
    static final int MAX_METADATA_BLOCK = 64 << 20;

    private final BlockInput in;
    private final byte[] head = new byte[8];
    /** The event nextShared() returns, reused for every event. */
    private final RawEvent shared = new RawEvent();
    private final EventTable table = EventTable.get();
    private long eventCount;
    private long skippedUnknown;
    private SectionHeader section;
    private MachineInfo machine;
    private final List<ProcessEntry> processes = new ArrayList<>();
    private final List<FdEntry> fds = new ArrayList<>();
    private final List<InterfaceEntry> interfaces = new ArrayList<>();
    private final List<UserEntry> users = new ArrayList<>();
    private final List<GroupEntry> groups = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int metadataBlocksAfterEvents;
    private int sections;
    private long pendingHeadOffset = -1;

    private ScapReader(BlockInput in) {
        this.in = in;
    }

    /** Opens a capture file (plain or gzip) and reads its header and metadata. */
    public static ScapReader open(Path file) throws IOException {
        return open(Files.newInputStream(file));
    }

    /** Reads a capture from a stream (plain or gzip); the reader owns the stream. */
    public static ScapReader open(InputStream raw) throws IOException {
        PushbackInputStream sniff = new PushbackInputStream(raw, 2);
        byte[] magic = new byte[2];
        int n = sniff.readNBytes(magic, 0, 2);
        sniff.unread(magic, 0, n);
        InputStream src = sniff;
        if (n == 2 && (magic[0] & 0xFF) == 0x1f && (magic[1] & 0xFF) == 0x8b) {
            try {
                src = new GZIPInputStream(sniff, 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw new ScapFormatException(0, "corrupt gzip header: " + e.getMessage());
            }
        }
        ScapReader r = new ScapReader(new BlockInput(src));
        try {
            r.readPreamble();
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** The header of the current section. */
    public SectionHeader section() { return section; }
    /**
     * Sections read so far (1 for an ordinary capture). When it grows, the metadata
     * lists below are the new section's: a state built from them must start over.
     */
    public int sections() { return sections; }
    /** The machine info block, or null if the capture has none. */
    public MachineInfo machine() { return machine; }
    public List<ProcessEntry> processes() { return Collections.unmodifiableList(processes); }
    public List<FdEntry> fds() { return Collections.unmodifiableList(fds); }
    public List<InterfaceEntry> interfaces() { return Collections.unmodifiableList(interfaces); }
    public List<UserEntry> users() { return Collections.unmodifiableList(users); }
    public List<GroupEntry> groups() { return Collections.unmodifiableList(groups); }
    /** Notes about skipped or odd blocks (never fatal). */
    public List<String> warnings() { return Collections.unmodifiableList(warnings); }
    /** Events skipped because their type is beyond the event table. */
    public long skippedUnknownEvents() { return skippedUnknown; }
    /** Bytes of uncompressed capture consumed so far. */
    public long position() { return in.position(); }

    private void readPreamble() throws IOException {
        long off = in.position();
        if (!readHead(true)) {
            throw new ScapFormatException(0, "empty file, not a scap capture");
        }
        int type = Le.i32(head, 0);
        if (type != BlockType.SECTION_HEADER) {
            throw new ScapFormatException(0, String.format("not a scap capture (first block type 0x%08x)", type));
        }
        readSection(off, Le.i32(head, 4));
    }

    /**
     * A section: its header (whose block head was just read) and the metadata blocks
     * up to the first event. A section header met later starts a new section, as in
     * concatenated captures: sysdig then restarts with the new section's metadata
     * (its thread table and lists replace the old ones) and keeps counting events.
     */
    private void readSection(long off, int len) throws IOException {
        while (true) {
            readSectionHeader(off, len);
            sections++;
            while (true) {
                long blockOff = in.position();
                if (!readHead(true)) {
                    return; // a section with no events
                }
                int t = Le.i32(head, 0);
                if (BlockType.isEvent(t)) {
                    pendingHeadOffset = blockOff; // next() starts from this header
                    return;
                }
                if (t == BlockType.SECTION_HEADER) { // an empty section: the next one replaces it
                    off = blockOff;
                    len = Le.i32(head, 4);
                    break;
                }
                readMetadataBlock(blockOff, t, Le.i32(head, 4));
            }
        }
    }

    private void readSectionHeader(long off, int len) throws IOException {
        if (len < 28 || len > 4096) {
            throw new ScapFormatException(off, "section header block length " + Integer.toUnsignedString(len) + " is invalid");
        }
        byte[] body = readBody(off, len - 8);
        int magic = Le.i32(body, 0);
        if (magic == Integer.reverseBytes(BlockType.BYTE_ORDER_MAGIC)) {
            throw new ScapFormatException(off, "big-endian captures are not supported");
        }
        if (magic != BlockType.BYTE_ORDER_MAGIC) {
            throw new ScapFormatException(off, String.format("bad byte-order magic 0x%08x", magic));
        }
        section = new SectionHeader(Le.u16(body, 4), Le.u16(body, 6), Le.u64(body, 8));
        checkTrailer(off, len, body);
        if (section.majorVersion() > 1) {
            throw new ScapFormatException(off, "scap format " + section.version() + " is newer than this reader (1.x)");
        }
        if (sections > 0) {
            machine = null;
            processes.clear();
            fds.clear();
            interfaces.clear();
            users.clear();
            groups.clear();
            warnings.add("section " + (sections + 1) + " (concatenated capture) starts at offset " + off);
        }
    }

    private void readMetadataBlock(long off, int type, int totalLen) throws IOException {
        if (Integer.compareUnsigned(totalLen, 12) < 0) {
            throw new ScapFormatException(off, "block length " + Integer.toUnsignedString(totalLen) + " too short");
        }
        if (Integer.compareUnsigned(totalLen, MAX_METADATA_BLOCK) > 0) {
            throw new ScapFormatException(off, String.format("block of type 0x%x claims %s bytes, more than the %d MiB limit",
                    type, Integer.toUnsignedString(totalLen), MAX_METADATA_BLOCK >> 20));
        }
        byte[] body = readBody(off, totalLen - 8);
        checkTrailer(off, totalLen, body);
        int bodyLen = totalLen - 12;
        MetadataParser p = new MetadataParser(body, bodyLen, off);
        int plv = BlockType.proclistVersion(type);
        if (plv > 0) {
            processes.addAll(p.processList(plv));
        } else {
            switch (type) {
                case BlockType.MACHINE_INFO, BlockType.MACHINE_INFO_INT -> machine = p.machineInfo();
                case BlockType.FDLIST, BlockType.FDLIST_INT, BlockType.FDLIST_V2 ->
                        fds.addAll(p.fdList(type == BlockType.FDLIST_V2));
                case BlockType.IFLIST, BlockType.IFLIST_INT, BlockType.IFLIST_V2 -> {
                    interfaces.clear();
                    interfaces.addAll(p.interfaceList(type == BlockType.IFLIST_V2));
                }
                case BlockType.USERLIST, BlockType.USERLIST_INT, BlockType.USERLIST_V2 -> {
                    users.clear();
                    groups.clear();
                    p.userList(type == BlockType.USERLIST_V2, users, groups);
                }
                default -> warnings.add(String.format("skipped unknown block type 0x%x (%d bytes) at offset %d",
                        type, totalLen, off));
            }
        }
    }

    /**
     * The next event, or null at the end of the capture. Metadata blocks met between
     * events are parsed into the lists above (their count is in the warnings). The
     * event is the caller's to keep.
     */
    public RawEvent next() throws IOException {
        RawEvent e = nextShared();
        return e == null ? null : e.copy();
    }

    /**
     * Like {@link #next()}, but the event is one object the reader reuses, whose
     * parameters point into the read buffer: it is valid until the next call. This is
     * how the capture reader walks millions of events without copying or allocating.
     */
    public RawEvent nextShared() throws IOException {
        while (true) {
            long off;
            int type;
            int totalLen;
            if (pendingHeadOffset >= 0) {
                off = pendingHeadOffset;
                pendingHeadOffset = -1;
                type = Le.i32(head, 0);
                totalLen = Le.i32(head, 4);
                if (BlockType.isEvent(type)) {
                    // the head was consumed by readSection: step back onto it (still in the buffer)
                    if (parseEvent(off, type, totalLen, true)) {
                        return shared;
                    }
                    continue;
                }
            } else {
                off = in.position();
                if (!in.ensure(8)) {
                    if (in.available() == 0) {
                        return null;
                    }
                    throw new ScapFormatException(off, "truncated block header (" + in.available() + " of 8 bytes)");
                }
                byte[] b = in.buf();
                int p = in.pos();
                type = Le.i32(b, p);
                totalLen = Le.i32(b, p + 4);
                if (BlockType.isEvent(type)) {
                    if (parseEvent(off, type, totalLen, false)) {
                        return shared;
                    }
                    continue;
                }
                System.arraycopy(b, p, head, 0, 8);
                in.skip(8);
            }
            if (type == BlockType.SECTION_HEADER) {
                readSection(off, totalLen);
                continue;
            }
            if (metadataBlocksAfterEvents++ == 0) {
                warnings.add("metadata blocks between events (first at offset " + off + ")");
            }
            readMetadataBlock(off, type, totalLen);
        }
    }

    /**
     * Parses the event block at the read position (its 8-byte head included, or just
     * consumed when {@code headConsumed}) into the shared event and moves past it;
     * false when the event was skipped (a type beyond the table).
     */
    private boolean parseEvent(long off, int blockType, int totalLen, boolean headConsumed) throws IOException {
        boolean v2 = BlockType.hasNparams(blockType);
        int hdrLen = v2 ? 26 : 22;
        int pre = 2 + (BlockType.hasFlags(blockType) ? 4 : 0);
        if (Integer.compareUnsigned(totalLen, 8 + pre + hdrLen + 4) < 0) {
            throw new ScapFormatException(off, "event block length " + Integer.toUnsignedString(totalLen) + " too short");
        }
        int limit = BlockType.isLarge(blockType) ? MAX_LARGE_EVENT_BLOCK : MAX_EVENT_BLOCK;
        if (Integer.compareUnsigned(totalLen - 8, limit) > 0) {
            throw new ScapFormatException(off, "event block length " + Integer.toUnsignedString(totalLen)
                    + " exceeds the " + limit + "-byte limit of its block type");
        }
        int need = headConsumed ? totalLen - 8 : totalLen;
        if (!in.ensure(need)) {
            int have = in.available() - (headConsumed ? 0 : 8);
            throw new ScapFormatException(off, "truncated block: " + Math.max(0, have) + " of " + (totalLen - 8)
                    + " bytes present");
        }
        byte[] body = in.buf();
        int start = in.pos() + (headConsumed ? 0 : 8); // first byte after the block head
        int bodyLen = totalLen - 8;
        in.skip(need);
        int cpu = Le.u16(body, start);
        int flags = pre == 6 ? Le.i32(body, start + 2) : 0;
        int e = start + pre;
        long ts = Le.u64(body, e);
        long tid = Le.u64(body, e + 8);
        long evtLen = Le.u32(body, e + 16);
        int etype = Le.u16(body, e + 20);
        EventInfo info = table.info(etype); // null beyond the table
        if (info == null) {
            skippedUnknown++;
            if (skippedUnknown == 1) {
                warnings.add("skipped events of unknown type " + etype + " (first at offset " + off + ")");
            }
            return false;
        }
        if (evtLen < hdrLen || evtLen > bodyLen - pre) {
            throw new ScapFormatException(off, "event length " + evtLen + " does not fit its block (" + totalLen + " bytes)");
        }
        int end = e + (int) evtLen;
        boolean large = info.is(EventInfo.LARGE_PAYLOAD);
        int lw = large ? 4 : 2;
        int lensAt = e + hdrLen;
        int nparams;
        if (v2) {
            long np = Le.u32(body, e + 22);
            if (np > RawEvent.MAX_PARAMS || lensAt + np * lw > end) {
                throw new ScapFormatException(off, "event " + info.name() + " claims " + np + " parameters");
            }
            nparams = (int) np;
        } else {
            nparams = v1ParamCount(off, info, etype, body, lensAt, end, lw);
        }
        int[] offs = shared.offsetsArray();
        int[] lens = shared.lengthsArray();
        int pos = lensAt + nparams * lw;
        for (int i = 0; i < nparams; i++) {
            long l = large ? Le.u32(body, lensAt + i * 4) : Le.u16(body, lensAt + i * 2);
            if (pos + l > end) {
                throw new ScapFormatException(off, "parameter " + i + " of event " + info.name()
                        + " runs past the end of the event");
            }
            offs[i] = pos;
            lens[i] = (int) l;
            pos += (int) l;
        }
        shared.setHeader(++eventCount, off, blockType, cpu, flags, ts, tid, etype, info, body, nparams);
        return true;
    }

    /**
     * V1 events carry no parameter count: like libscap, start from the table's count
     * and decrease it until the parameter lengths add up to the event length.
     */
    private static int v1ParamCount(long off, EventInfo info, int etype, byte[] body, int lensAt, int end, int lw) {
        if (etype == 280 || etype == 286) {
            end -= 3; // old captures wrote a wrong length for notification and infra events
        }
        for (int n = info.params().size(); n >= 0; n--) {
            long valptr = lensAt + (long) n * lw;
            if (valptr > end) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                valptr += lw == 4 ? Le.u32(body, lensAt + i * 4) : Le.u16(body, lensAt + i * 2);
            }
            if (valptr < end) {
                throw new ScapFormatException(off, "corrupt V1 event " + info.name() + ": cannot work out its parameter count");
            }
            if (valptr == end) {
                return n;
            }
        }
        throw new ScapFormatException(off, "corrupt V1 event " + info.name() + ": cannot work out its parameter count");
    }

    private boolean readHead(boolean eofOk) throws IOException {
        long off = in.position();
        if (!in.ensure(8)) {
            int n = in.available();
            if (n == 0 && eofOk) {
                return false;
            }
            throw new ScapFormatException(off, "truncated block header (" + n + " of 8 bytes)");
        }
        System.arraycopy(in.buf(), in.pos(), head, 0, 8);
        in.skip(8);
        return true;
    }

    /** Reads the rest of a block; grows with the data actually present, so a lying length cannot exhaust memory. */
    private byte[] readBody(long off, int len) throws IOException {
        byte[] body = in.take(len);
        if (body.length < len) {
            throw new ScapFormatException(off, "truncated block: " + body.length + " of " + len + " bytes present");
        }
        return body;
    }

    private static void checkTrailer(long off, int totalLen, byte[] body) {
        int trailer = Le.i32(body, body.length - 4);
        if (trailer != totalLen) {
            throw new ScapFormatException(off, "block length " + Integer.toUnsignedString(totalLen)
                    + " does not match its trailer " + Integer.toUnsignedString(trailer));
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
