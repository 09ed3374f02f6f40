package dev.stasis.capture.scap;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes scap captures (format 1.2, the current block versions: machine info,
 * interface list V2, user list V2, process list V9, fd list V2, event blocks V2 /
 * V2-large / with flags). Old captures are upgraded on the way: V1 events are
 * written with their parameter count, so {@code sysdig -r} prints the same.
 * <pre>
 * try (ScapWriter w = ScapWriter.create(out)) {
 *     w.writeMetadata(machine, interfaces, users, groups, processes, fds);
 *     w.writeEvent(event); ...
 * }
 * </pre>
 */
public final class ScapWriter implements Closeable {
    private final OutputStream out;
    private final byte[] scratch = new byte[8];
    private boolean metadataWritten;

    private ScapWriter(OutputStream out) throws IOException {
        this.out = out;
        writeSectionHeader();
    }

    /** Starts a capture on {@code out} (which the writer closes). Wrap it in a GZIPOutputStream for .scap.gz. */
    public static ScapWriter create(OutputStream out) throws IOException {
        return new ScapWriter(out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 1 << 16));
    }

    /** Copies a whole capture: metadata as the reader found it, then every event. */
    public static long copy(ScapReader in, OutputStream out) throws IOException {
        long n = 0;
        try (ScapWriter w = create(out)) {
            w.writeMetadata(in.machine(), in.interfaces(), in.users(), in.groups(), in.processes(), in.fds());
            for (RawEvent e; (e = in.next()) != null; ) {
                w.writeEvent(e);
                n++;
            }
        }
        return n;
    }

    private void writeSectionHeader() throws IOException {
        Body b = new Body();
        b.u32(BlockType.BYTE_ORDER_MAGIC).u16(1).u16(2).u64(-1L);
        block(BlockType.SECTION_HEADER, b);
    }

    /** The metadata blocks; call once, before the first event. Any argument may be null or empty. */
    public void writeMetadata(MachineInfo machine, List<InterfaceEntry> interfaces, List<UserEntry> users,
            List<GroupEntry> groups, List<ProcessEntry> processes, List<FdEntry> fds) throws IOException {
        if (metadataWritten) {
            throw new IllegalStateException("metadata already written");
        }
        metadataWritten = true;
        if (machine != null) {
            Body b = new Body();
            b.u32(machine.numCpus()).u64(machine.memorySizeBytes()).u64(machine.maxPid());
            byte[] host = new byte[128];
            byte[] h = machine.hostname().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(h, 0, host, 0, Math.min(h.length, 127));
            b.raw(host);
            for (int i = 0; i < 4; i++) {
                b.u64(machine.reserved() != null && i < machine.reserved().length ? machine.reserved()[i] : 0);
            }
            block(BlockType.MACHINE_INFO, b);
        }
        if (interfaces != null && !interfaces.isEmpty()) {
            Body b = new Body();
            for (InterfaceEntry i : interfaces) {
                Body e = new Body();
                byte[] name = i.name().getBytes(StandardCharsets.UTF_8);
                e.u16(i.ifType()).u16(name.length).raw(i.addr()).raw(i.netmask()).raw(i.bcast());
                if (i.ifType() == 1 || i.ifType() == 2) {
                    e.u64(i.linkSpeed());
                }
                e.raw(name);
                b.u32(e.size()).raw(e.toByteArray());
            }
            block(BlockType.IFLIST_V2, b);
        }
        if ((users != null && !users.isEmpty()) || (groups != null && !groups.isEmpty())) {
            Body b = new Body();
            for (UserEntry u : users == null ? List.<UserEntry>of() : users) {
                Body e = new Body();
                e.u8(0).u32(u.uid()).u32(u.gid()).str16(u.name()).str16(u.homedir()).str16(u.shell());
                b.u32(e.size() + 4).raw(e.toByteArray());
            }
            for (GroupEntry g : groups == null ? List.<GroupEntry>of() : groups) {
                Body e = new Body();
                e.u8(1).u32(g.gid()).str16(g.name());
                b.u32(e.size() + 4).raw(e.toByteArray());
            }
            block(BlockType.USERLIST_V2, b);
        }
        if (processes != null && !processes.isEmpty()) {
            Body b = new Body();
            for (ProcessEntry p : processes) {
                Body e = new Body();
                e.u64(p.tid()).u64(p.pid()).u64(p.ptid()).u64(p.sid()).u64(p.vpgid());
                e.str16(p.comm()).str16(p.exe()).str16(p.exepath()).bytes16(p.args()).str16(p.cwd());
                e.u64(p.fdlimit()).u32(p.flags()).u32(p.uid()).u32(p.gid());
                e.u32(p.vmsizeKb()).u32(p.vmrssKb()).u32(p.vmswapKb()).u64(p.pfMajor()).u64(p.pfMinor());
                e.bytes16(p.env()).u64(p.vtid()).u64(p.vpid()).bytes16(p.cgroups()).str16(p.root());
                e.u32(p.loginuid()).u8(p.exeWritable() ? 1 : 0);
                // The pre-libs-0.10 layout (sysdig 0.29.3 reads it; newer libscap tells it by the
                // 29 bytes left here): capabilities follow, tty has no place in it.
                e.u64(p.capInheritable()).u64(p.capPermitted()).u64(p.capEffective());
                b.u32(e.size() + 4).raw(e.toByteArray());
            }
            block(BlockType.PROCLIST_V9, b);
        }
        if (fds != null && !fds.isEmpty()) {
            Map<Long, Body> byTid = new LinkedHashMap<>();
            for (FdEntry f : fds) {
                Body b = byTid.computeIfAbsent(f.tid(), tid -> new Body().u64(tid));
                Body e = new Body();
                e.u64(f.fd()).u64(f.ino()).u8(f.kind().code());
                switch (f.kind()) {
                    case IPV4_SOCK, IPV6_SOCK -> e.raw(f.sip()).raw(f.dip()).u16(f.sport()).u16(f.dport()).u8(f.l4proto());
                    case IPV4_SERVSOCK, IPV6_SERVSOCK -> e.raw(f.sip()).u16(f.sport()).u8(f.l4proto());
                    case UNIX_SOCK -> e.u64(f.unixSource()).u64(f.unixDest()).str16(f.name());
                    case FILE_V2 -> e.u32(f.openFlags()).str16(f.name()).u32(f.dev());
                    default -> e.str16(f.name());
                }
                b.u32(e.size() + 4).raw(e.toByteArray());
            }
            for (Body b : byTid.values()) {
                block(BlockType.FDLIST_V2, b);
            }
        }
    }

    /** Writes one event as a V2 block (V2-large for large-payload events, flags variant if it has dump flags). */
    public void writeEvent(RawEvent e) throws IOException {
        if (!metadataWritten) {
            writeMetadata(null, null, null, null, null, null);
        }
        EventInfo info = e.info();
        boolean large = info != null && info.is(EventInfo.LARGE_PAYLOAD);
        boolean flags = e.dumpFlags() != 0;
        int type = flags ? (large ? BlockType.EVENT_FLAGS_V2_LARGE : BlockType.EVENT_FLAGS_V2)
                : (large ? BlockType.EVENT_V2_LARGE : BlockType.EVENT_V2);
        int n = e.nparams();
        int evtLen = e.encodedLength(large);
        int bodyLen = 2 + (flags ? 4 : 0) + evtLen;
        int padded = (bodyLen + 3) & ~3;
        int total = 8 + padded + 4;
        byte[] buf = new byte[total];
        int p = 0;
        Le.put32(buf, p, type);
        Le.put32(buf, p + 4, total);
        p = 8;
        Le.put16(buf, p, e.cpu());
        p += 2;
        if (flags) {
            Le.put32(buf, p, e.dumpFlags());
            p += 4;
        }
        Le.put64(buf, p, e.ts());
        Le.put64(buf, p + 8, e.tid());
        Le.put32(buf, p + 16, evtLen);
        Le.put16(buf, p + 20, e.type());
        Le.put32(buf, p + 22, n);
        p += 26;
        for (int i = 0; i < n; i++) {
            if (large) {
                Le.put32(buf, p, e.paramLength(i));
                p += 4;
            } else {
                Le.put16(buf, p, e.paramLength(i));
                p += 2;
            }
        }
        byte[] data = e.data();
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, e.offset(i), buf, p, e.paramLength(i));
            p += e.paramLength(i);
        }
        Le.put32(buf, total - 4, total);
        out.write(buf);
    }

    private void block(int type, Body body) throws IOException {
        int len = body.size();
        int padded = (len + 3) & ~3;
        int total = 8 + padded + 4;
        Le.put32(scratch, 0, type);
        Le.put32(scratch, 4, total);
        out.write(scratch, 0, 8);
        body.writeTo(out);
        out.write(new byte[padded - len]);
        Le.put32(scratch, 0, total);
        out.write(scratch, 0, 4);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** A little-endian byte builder for block bodies. */
    private static final class Body extends ByteArrayOutputStream {
        Body u8(int v) { write(v); return this; }
        Body u16(int v) { write(v); write(v >>> 8); return this; }
        Body u32(int v) { u16(v); u16(v >>> 16); return this; }
        Body u32(long v) { return u32((int) v); }
        Body u64(long v) { u32((int) v); u32((int) (v >>> 32)); return this; }
        Body raw(byte[] b) { write(b, 0, b.length); return this; }
        Body str16(String s) { return bytes16(s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8)); }
        Body bytes16(byte[] b) {
            int n = Math.min(b.length, 0xFFFF);
            u16(n);
            write(b, 0, n);
            return this;
        }
    }
}
