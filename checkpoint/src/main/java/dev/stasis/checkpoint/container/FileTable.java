package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.images.Fdinfo;
import dev.stasis.checkpoint.criu.images.Memfd;
import dev.stasis.checkpoint.criu.images.PipeData;
import dev.stasis.checkpoint.criu.images.RemapFilePath;
import dev.stasis.checkpoint.criu.images.TcpStream;
import dev.stasis.checkpoint.model.OpenFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint-wide file objects ({@code files.img}) with what qualifies them: remaps of deleted
 * files ({@code remap-fpath.img}), memfd inodes ({@code memfd.img}), TCP queues
 * ({@code tcp-stream-<ino>.img}) and pipe contents ({@code pipes-data.img}). Turns an fdinfo entry
 * into an {@link OpenFile}.
 */
final class FileTable {
    record Remap(long remapId, String type) {}

    record TcpQueues(long inLen, long outLen, byte[] data) {}

    private final Map<Long, Fdinfo.file_entry> files = new HashMap<>();
    private final Map<Long, Remap> remaps = new HashMap<>();
    private final Map<Long, Memfd.memfd_inode_entry> memfdInodes = new HashMap<>();
    private final Map<Long, TcpQueues> tcp = new HashMap<>();
    private final Map<Long, Long> pipeBytes = new HashMap<>();

    FileTable(CheckpointImages images) {
        images.optional("files.img").ifPresent(img -> {
            for (ImageEntry e : img.entries()) {
                if (e.message() instanceof Fdinfo.file_entry f) files.put(Integer.toUnsignedLong(f.getId()), f);
            }
        });
        LegacyFileImages.addTo(images, files);
        images.optional("remap-fpath.img").ifPresent(img -> {
            for (ImageEntry e : img.entries()) {
                if (e.message() instanceof RemapFilePath.remap_file_path_entry r) {
                    String type = r.hasRemapType() ? r.getRemapType().name() : "LINKED";
                    remaps.put(Integer.toUnsignedLong(r.getOrigId()), new Remap(Integer.toUnsignedLong(r.getRemapId()), type));
                }
            }
        });
        images.optional("memfd.img").ifPresent(img -> {
            for (ImageEntry e : img.entries()) {
                if (e.message() instanceof Memfd.memfd_inode_entry m) memfdInodes.put(m.getInodeId(), m);
            }
        });
        for (String name : images.names()) {
            if (name.startsWith("tcp-stream-") && name.endsWith(".img")) {
                try {
                    long ino = Long.parseLong(name.substring("tcp-stream-".length(), name.length() - 4), 16);
                    images.optional(name).ifPresent(img -> {
                        if (!img.entries().isEmpty() && img.entries().getFirst().message() instanceof TcpStream.tcp_stream_entry t) {
                            byte[] extra = img.entries().getFirst().extra();
                            tcp.put(ino, new TcpQueues(Integer.toUnsignedLong(t.getInqLen()), Integer.toUnsignedLong(t.getOutqLen()),
                                    extra == null ? new byte[0] : extra));
                        }
                    });
                } catch (NumberFormatException ignored) {
                    // not a tcp-stream image name CRIU writes
                }
            }
        }
        for (String pipesData : List.of("pipes-data.img", "fifo-data.img")) {
            images.optional(pipesData).ifPresent(img -> {
                for (ImageEntry e : img.entries()) {
                    if (e.message() instanceof PipeData.pipe_data_entry p) {
                        pipeBytes.merge(Integer.toUnsignedLong(p.getPipeId()), Integer.toUnsignedLong(p.getBytes()), Long::sum);
                    }
                }
            });
        }
    }

    Fdinfo.file_entry file(long id) {
        return files.get(id);
    }

    Remap remap(long id) {
        return remaps.get(id);
    }

    Map<Long, Remap> remaps() {
        return remaps;
    }

    Memfd.memfd_inode_entry memfdInode(long inodeId) {
        return memfdInodes.get(inodeId);
    }

    /** A regular file's path with " (deleted)" when CRIU had to remap it (ghost or linked-remap). */
    String regularPath(long id) {
        Fdinfo.file_entry f = files.get(id);
        if (f == null) return null;
        if (f.hasReg()) {
            String name = f.getReg().getName();
            return remaps.containsKey(id) && !"PROCFS".equals(remaps.get(id).type()) ? name + " (deleted)" : name;
        }
        if (f.hasMemfd()) {
            Memfd.memfd_inode_entry inode = memfdInodes.get(Integer.toUnsignedLong(f.getMemfd().getInodeId()));
            return "/memfd:" + (inode == null ? "?" : inode.getName()) + " (deleted)";
        }
        return null;
    }

    OpenFile open(int fd, long id, Fdinfo.fd_types type) {
        Fdinfo.file_entry f = files.get(id);
        if (f == null) return new OpenFile.Other(fd, id, type.name(), type.name() + "." + id);
        switch (type) {
            case REG: {
                if (!f.hasReg()) break;
                var r = f.getReg();
                Remap remap = remaps.get(id);
                boolean deleted = remap != null && !"PROCFS".equals(remap.type());
                return new OpenFile.Regular(fd, id, deleted ? r.getName() + " (deleted)" : r.getName(), r.getSize(), r.getMode(),
                        Integer.toUnsignedLong(r.getFlags()), r.getPos(), deleted, remap != null && "GHOST".equals(remap.type()));
            }
            case INETSK: {
                if (!f.hasIsk()) break;
                var s = f.getIsk();
                long ino = Integer.toUnsignedLong(s.getIno());
                TcpQueues q = tcp.get(ino);
                String inPreview = null, outPreview = null;
                long inLen = 0, outLen = 0;
                if (q != null) {
                    inLen = q.inLen();
                    outLen = q.outLen();
                    int in = (int) Math.min(inLen, q.data().length);
                    inPreview = Printable.preview(q.data(), 0, in, 256);
                    outPreview = Printable.preview(q.data(), in, (int) Math.min(outLen, q.data().length - in), 256);
                }
                return new OpenFile.InetSocket(fd, id, ino, Sockets.family(s.getFamily()), Sockets.type(s.getType()),
                        Sockets.protocol(s.getProto()), Sockets.state(s.getState()),
                        Sockets.address(s.getSrcAddrList(), s.getFamily()), s.getSrcPort(),
                        Sockets.address(s.getDstAddrList(), s.getFamily()), s.getDstPort(),
                        Integer.toUnsignedLong(s.getOpts().getSoSndbuf()), Integer.toUnsignedLong(s.getOpts().getSoRcvbuf()),
                        inLen, outLen, inPreview, outPreview);
            }
            case UNIXSK: {
                if (!f.hasUsk()) break;
                var u = f.getUsk();
                return new OpenFile.UnixSocket(fd, id, Integer.toUnsignedLong(u.getIno()), Integer.toUnsignedLong(u.getPeer()),
                        Sockets.type(u.getType()), Sockets.state(u.getState()), Sockets.unixName(u.getName().toByteArray()),
                        Integer.toUnsignedLong(u.getOpts().getSoSndbuf()), Integer.toUnsignedLong(u.getOpts().getSoRcvbuf()));
            }
            case PACKETSK:
                if (f.hasPsk()) return new OpenFile.PacketSocket(fd, id, 0, f.getPsk().getProtocol());
                break;
            case NETLINKSK:
                if (f.hasNlsk()) return new OpenFile.NetlinkSocket(fd, id, Integer.toUnsignedLong(f.getNlsk().getIno()), f.getNlsk().getProtocol());
                break;
            case PIPE:
                if (f.hasPipe()) {
                    long pipeId = Integer.toUnsignedLong(f.getPipe().getPipeId());
                    return new OpenFile.Pipe(fd, id, pipeId, Integer.toUnsignedLong(f.getPipe().getFlags()), null, pipeBytes.getOrDefault(pipeId, 0L));
                }
                break;
            case FIFO:
                if (f.hasFifo()) {
                    long pipeId = Integer.toUnsignedLong(f.getFifo().getPipeId());
                    String path = f.getFifo().hasRegfId() ? regularPath(Integer.toUnsignedLong(f.getFifo().getRegfId())) : null;
                    return new OpenFile.Pipe(fd, id, pipeId, 0, path == null ? "fifo:[" + pipeId + "]" : path, pipeBytes.getOrDefault(pipeId, 0L));
                }
                break;
            case MEMFD:
                if (f.hasMemfd()) {
                    long inodeId = Integer.toUnsignedLong(f.getMemfd().getInodeId());
                    Memfd.memfd_inode_entry inode = memfdInodes.get(inodeId);
                    return new OpenFile.Memfd(fd, id, inodeId, inode == null ? "?" : inode.getName(), inode == null ? 0 : inode.getSize());
                }
                break;
            case EVENTFD:
                if (f.hasEfd()) return new OpenFile.EventFd(fd, id, f.getEfd().getCounter());
                break;
            case EVENTPOLL:
                if (f.hasEpfd()) {
                    List<Integer> targets = new ArrayList<>();
                    f.getEpfd().getTfdList().forEach(t -> targets.add(t.getTfd()));
                    return new OpenFile.EventPoll(fd, id, targets);
                }
                break;
            case SIGNALFD:
                if (f.hasSgfd()) return new OpenFile.SignalFd(fd, id, f.getSgfd().getSigmask());
                break;
            case TIMERFD:
                if (f.hasTfd()) return new OpenFile.TimerFd(fd, id, f.getTfd().getClockid());
                break;
            case INOTIFY:
                return new OpenFile.Inotify(fd, id, List.of());
            case FANOTIFY:
                return new OpenFile.Fanotify(fd, id);
            case TTY:
                return new OpenFile.Tty(fd, id, "TTY", -1);
            default:
                break;
        }
        return new OpenFile.Other(fd, id, type.name(), type.name() + "." + id);
    }
}
