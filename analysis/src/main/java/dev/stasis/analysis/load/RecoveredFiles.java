package dev.stasis.analysis.load;

import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.ImageReader;
import dev.stasis.checkpoint.criu.ImageSource;
import dev.stasis.checkpoint.criu.images.Fdinfo;
import dev.stasis.checkpoint.criu.images.GhostFile;
import dev.stasis.checkpoint.criu.images.Memfd;
import dev.stasis.checkpoint.criu.images.RemapFilePath;
import dev.stasis.checkpoint.criu.images.TcpStream;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.PageFile;
import dev.stasis.memory.PageRun;
import dev.stasis.memory.Pagemap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Content that exists only inside the checkpoint: files deleted while open
 * (CRIU's ghost files, linked through remap-fpath) and memfds (memfd.img
 * inodes whose pages are a shared-memory pagemap). Each is hashed and its
 * first bytes kept, as the detectors need; nothing is written to disk.
 * Also the TCP queues (tcp-stream images), which the model only previews.
 */
final class RecoveredFiles {
    private RecoveredFiles() {}

    static Optional<CriuImage> image(ImageSource images, String name) throws IOException {
        Optional<InputStream> in = images.open(name);
        if (in.isEmpty()) return Optional.empty();
        try (InputStream s = in.get()) {
            return Optional.of(ImageReader.read(s));
        }
    }

    /** Ghost files by the path the process saw. */
    static List<DiffFile> ghosts(ImageSource images, List<String> notices) throws IOException {
        List<DiffFile> out = new ArrayList<>();
        Optional<CriuImage> remap = image(images, "remap-fpath.img");
        if (remap.isEmpty()) return out;
        Map<Long, String> regPaths = new HashMap<>();
        image(images, "files.img").ifPresent(files -> {
            for (ImageEntry e : files.entries()) {
                if (e.message() instanceof Fdinfo.file_entry fe && fe.hasReg()) regPaths.put(Integer.toUnsignedLong(fe.getId()), fe.getReg().getName());
            }
        });
        image(images, "reg-files.img").ifPresent(files -> {
            for (ImageEntry e : files.entries()) {
                if (e.message() instanceof dev.stasis.checkpoint.criu.images.Regfile.reg_file_entry r) regPaths.put(Integer.toUnsignedLong(r.getId()), r.getName());
            }
        });
        for (ImageEntry e : remap.get().entries()) {
            if (!(e.message() instanceof RemapFilePath.remap_file_path_entry r)) continue;
            if (r.hasRemapType() && r.getRemapType() != RemapFilePath.remap_type.GHOST) continue;
            String path = regPaths.getOrDefault(Integer.toUnsignedLong(r.getOrigId()), "(unknown path, file id " + r.getOrigId() + ")");
            String name = "ghost-file-" + Integer.toHexString(r.getRemapId()) + ".img";
            Optional<CriuImage> g = image(images, name);
            if (g.isEmpty()) {
                notices.add(name + " is missing: the deleted file " + path + " cannot be recovered");
                continue;
            }
            out.add(ghost(path, g.get()));
        }
        return out;
    }

    private static DiffFile ghost(String path, CriuImage img) {
        GhostFile.ghost_file_entry head = (GhostFile.ghost_file_entry) img.entries().get(0).message();
        long size = head.hasSize() ? head.getSize() : 0;
        MessageDigest md = RootfsDiffReader.sha256();
        ByteArrayOutputStream keep = new ByteArrayOutputStream();
        long pos = 0;
        if (!head.getChunks()) {
            byte[] data = img.entries().get(0).extra() == null ? new byte[0] : img.entries().get(0).extra();
            md.update(data);
            keep.write(data, 0, Math.min(data.length, DiffFile.HEAD_LIMIT));
            pos = data.length;
        } else {
            for (int i = 1; i < img.entries().size(); i++) {
                ImageEntry e = img.entries().get(i);
                GhostFile.ghost_chunk_entry c = (GhostFile.ghost_chunk_entry) e.message();
                while (pos < c.getOff()) { // a hole: zeros, as the file reads
                    int n = (int) Math.min(1 << 16, c.getOff() - pos);
                    byte[] z = new byte[n];
                    md.update(z);
                    if (keep.size() < DiffFile.HEAD_LIMIT) keep.write(z, 0, Math.min(n, DiffFile.HEAD_LIMIT - keep.size()));
                    pos += n;
                }
                byte[] data = e.extra() == null ? new byte[0] : e.extra();
                md.update(data);
                if (keep.size() < DiffFile.HEAD_LIMIT) keep.write(data, 0, Math.min(data.length, DiffFile.HEAD_LIMIT - keep.size()));
                pos += data.length;
            }
        }
        while (pos < size) {
            int n = (int) Math.min(1 << 16, size - pos);
            md.update(new byte[n]);
            pos += n;
        }
        Instant mtime = head.hasMtim() ? Instant.ofEpochSecond(head.getMtim().getTvSec(), head.getMtim().getTvUsec() * 1000L) : null;
        return new DiffFile(path, "file", Math.max(size, pos), head.getMode(), mtime, HexFormat.of().formatHex(md.digest()), keep.toByteArray(),
                null, "ghost-file");
    }

    /** memfd contents from their shared-memory pagemaps, named "/memfd:NAME". */
    static List<DiffFile> memfds(ImageSource images, CheckpointMemory memory, List<String> notices) throws IOException {
        List<DiffFile> out = new ArrayList<>();
        Optional<CriuImage> img = image(images, "memfd.img");
        if (img.isEmpty()) return out;
        for (ImageEntry e : img.get().entries()) {
            if (!(e.message() instanceof Memfd.memfd_inode_entry m)) continue;
            String path = "/memfd:" + m.getName();
            Pagemap pm = memory == null ? null : memory.sharedMemory().get(Integer.toUnsignedLong(m.getShmid()));
            if (pm == null) {
                notices.add("the pages of memfd " + m.getName() + " are not in the checkpoint: its content cannot be recovered");
                out.add(new DiffFile(path, "file", m.getSize(), m.getMode(), null, null, new byte[0], null, "memfd"));
                continue;
            }
            out.add(memfd(path, m, pm, memory.pageFile(pm.pagesImage())));
        }
        return out;
    }

    private static DiffFile memfd(String path, Memfd.memfd_inode_entry m, Pagemap pm, PageFile pages) throws IOException {
        long size = m.getSize();
        MessageDigest md = RootfsDiffReader.sha256();
        ByteArrayOutputStream keep = new ByteArrayOutputStream();
        long pos = 0;
        for (PageRun r : pm.runs()) {
            if (pos >= size) break;
            if (r.vaddr() > pos) pos = zeros(md, keep, pos, Math.min(r.vaddr(), size));
            if (!r.present()) continue;
            long runEnd = Math.min(r.end(), size);
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            while (pos < runEnd) {
                int n = (int) Math.min(buf.capacity(), runEnd - pos);
                buf.clear().limit(n);
                pages.readFully(r.fileOffset() + (pos - r.vaddr()), buf);
                md.update(buf.array(), 0, n);
                if (keep.size() < DiffFile.HEAD_LIMIT) keep.write(buf.array(), 0, Math.min(n, DiffFile.HEAD_LIMIT - keep.size()));
                pos += n;
            }
        }
        if (pos < size) zeros(md, keep, pos, size);
        return new DiffFile(path, "file", size, m.getMode(), null, HexFormat.of().formatHex(md.digest()), keep.toByteArray(), null, "memfd");
    }

    private static long zeros(MessageDigest md, ByteArrayOutputStream keep, long from, long to) {
        long pos = from;
        while (pos < to) {
            int n = (int) Math.min(1 << 16, to - pos);
            byte[] z = new byte[n];
            md.update(z);
            if (keep.size() < DiffFile.HEAD_LIMIT) keep.write(z, 0, Math.min(n, DiffFile.HEAD_LIMIT - keep.size()));
            pos += n;
        }
        return pos;
    }

    /** The in-flight bytes of a TCP connection: {in, out}, empty arrays when CRIU saved none. */
    static byte[][] tcpQueues(ImageSource images, long inode) {
        try {
            Optional<CriuImage> img = image(images, "tcp-stream-" + Long.toHexString(inode) + ".img");
            if (img.isEmpty() || img.get().entries().isEmpty()) return new byte[][] {new byte[0], new byte[0]};
            ImageEntry e = img.get().entries().get(0);
            TcpStream.tcp_stream_entry t = (TcpStream.tcp_stream_entry) e.message();
            byte[] extra = e.extra() == null ? new byte[0] : e.extra();
            int in = (int) Math.min(Integer.toUnsignedLong(t.getInqLen()), extra.length);
            byte[] inq = java.util.Arrays.copyOfRange(extra, 0, in);
            byte[] outq = java.util.Arrays.copyOfRange(extra, in, extra.length);
            return new byte[][] {inq, outq};
        } catch (IOException | RuntimeException ex) {
            return new byte[][] {new byte[0], new byte[0]};
        }
    }
}
