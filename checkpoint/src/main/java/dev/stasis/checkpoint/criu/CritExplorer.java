package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.Core;
import dev.stasis.checkpoint.criu.images.Fdinfo;
import dev.stasis.checkpoint.criu.images.Fs;
import dev.stasis.checkpoint.criu.images.Mm;
import dev.stasis.checkpoint.criu.images.Pagemap;
import dev.stasis.checkpoint.criu.images.Pipe;
import dev.stasis.checkpoint.criu.images.Pstree;
import dev.stasis.checkpoint.criu.images.Regfile;
import dev.stasis.checkpoint.criu.images.SkUnix;
import dev.stasis.checkpoint.criu.images.Vma;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code crit x DIR ps|fds|mems|rss} explorers over any set of images.
 * Output is crit's, line for line, for live tasks. Dead and zombie tasks have
 * no ids, mm, pagemap, fs or fdinfo images (crit crashes on them); here they
 * get a one-line note instead.
 */
public final class CritExplorer {
    /** What {@code crit x} can show. */
    public enum View { PS, FDS, MEMS, RSS }

    private final ImageSource images;
    private final Map<String, CriuImage> cache = new HashMap<>();
    private List<Fdinfo.file_entry> files;
    private final Map<String, String> fileNames = new HashMap<>();

    public CritExplorer(ImageSource images) {
        this.images = images;
    }

    public String explore(View view) {
        StringBuilder out = new StringBuilder();
        switch (view) {
            case PS -> ps(out);
            case FDS -> fds(out);
            case MEMS -> mems(out);
            case RSS -> rss(out);
        }
        return out.toString();
    }

    public String ps() {
        return explore(View.PS);
    }

    public String fds() {
        return explore(View.FDS);
    }

    public String mems() {
        return explore(View.MEMS);
    }

    public String rss() {
        return explore(View.RSS);
    }

    // ---- ps

    private record Node(Pstree.pstree_entry task, String comm, List<Node> kids) {}

    private void ps(StringBuilder out) {
        Map<Integer, Node> nodes = new LinkedHashMap<>();
        for (Pstree.pstree_entry p : tasks()) {
            String comm = image("core-" + Integer.toUnsignedString(p.getPid()) + ".img")
                    .filter(i -> !i.entries().isEmpty())
                    .map(i -> ((Core.core_entry) i.entries().getFirst().message()))
                    .filter(Core.core_entry::hasTc)
                    .map(c -> c.getTc().getComm())
                    .orElse("?");
            nodes.put(p.getPid(), new Node(p, comm, new ArrayList<>()));
        }
        List<Node> roots = new ArrayList<>();
        for (Node n : nodes.values()) {
            Node parent = n.task.getPpid() == 0 ? null : nodes.get(n.task.getPpid());
            if (parent == null || parent == n) roots.add(n);
            else parent.kids.add(n);
        }
        out.append(String.format("%7s%7s%7s   %s%n", "PID", "PGID", "SID", "COMM"));
        // Depth-first with an explicit stack: a hostile pstree may nest deeper than the call stack allows.
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.Deque<Map.Entry<Node, Integer>> stack = new java.util.ArrayDeque<>();
        for (int i = roots.size() - 1; i >= 0; i--) stack.push(Map.entry(roots.get(i), 0));
        while (!stack.isEmpty()) {
            Map.Entry<Node, Integer> top = stack.pop();
            Node n = top.getKey();
            if (!seen.add(n)) continue;
            Pstree.pstree_entry p = n.task;
            out.append(String.format("%7d%7d%7d   %s%s%n", Integer.toUnsignedLong(p.getPid()),
                    Integer.toUnsignedLong(p.getPgid()), Integer.toUnsignedLong(p.getSid()), indent(top.getValue()), n.comm));
            for (int i = n.kids.size() - 1; i >= 0; i--) stack.push(Map.entry(n.kids.get(i), top.getValue() + 1));
        }
    }

    /** crit indents 4 spaces a level; past 64 levels the depth is written out so output stays linear in size. */
    private static String indent(int depth) {
        return depth <= MAX_INDENT ? " ".repeat(4 * depth) : " ".repeat(4 * MAX_INDENT) + "[depth " + depth + "] ";
    }

    private static final int MAX_INDENT = 64;

    // ---- fds

    private void fds(StringBuilder out) {
        for (Pstree.pstree_entry p : tasks()) {
            String pid = Integer.toUnsignedString(p.getPid());
            Optional<Core.task_kobj_ids_entry> ids = first(image("ids-" + pid + ".img"), Core.task_kobj_ids_entry.class);
            Optional<CriuImage> fdi = ids.flatMap(i -> image("fdinfo-" + Integer.toUnsignedString(i.getFilesId()) + ".img"));
            out.append(pid).append('\n');
            if (fdi.isEmpty()) {
                out.append(String.format("\t%7s: %s%n", "-", noImagesNote(p, "open files")));
                continue;
            }
            for (ImageEntry e : fdi.get().entries()) {
                var fd = (Fdinfo.fdinfo_entry) e.message();
                out.append(String.format("\t%7d: %s%n", Integer.toUnsignedLong(fd.getFd()), fileString(fd.getType().name(), fd.getId())));
            }
            Optional<Fs.fs_entry> fs = first(image("fs-" + pid + ".img"), Fs.fs_entry.class);
            if (fs.isPresent()) {
                out.append(String.format("\t%7s: %s%n", "cwd", fileString("REG", fs.get().getCwdId())));
                out.append(String.format("\t%7s: %s%n", "root", fileString("REG", fs.get().getRootId())));
            }
        }
    }

    private String noImagesNote(Pstree.pstree_entry p, String what) {
        String state = first(image("core-" + Integer.toUnsignedString(p.getPid()) + ".img"), Core.core_entry.class)
                .filter(Core.core_entry::hasTc)
                .map(c -> switch (c.getTc().getTaskState()) {
                    // compel's task states; CRIU records an unreaped zombie as dead
                    case 2 -> "dead (zombie)";
                    case 3 -> "stopped";
                    case 6 -> "zombie";
                    default -> "state " + c.getTc().getTaskState();
                })
                .orElse("no core image");
        return "no " + what + " (task is " + state + ")";
    }

    // ---- mems

    private void mems(StringBuilder out) {
        Map<Long, Integer> vids = new HashMap<>();
        for (Pstree.pstree_entry p : tasks()) {
            String pid = Integer.toUnsignedString(p.getPid());
            Optional<Mm.mm_entry> mm = first(image("mm-" + pid + ".img"), Mm.mm_entry.class);
            out.append(pid).append('\n');
            if (mm.isEmpty()) {
                out.append(String.format("\t%-36s    %s%n", "-", noImagesNote(p, "memory")));
                continue;
            }
            Mm.mm_entry mmi = mm.get();
            out.append(String.format("\t%-36s    %s%n", "exe", fileString("REG", mmi.getExeFileId())));
            for (Vma.vma_entry vma : mmi.getVmasList()) {
                int st = vma.getStatus();
                String fn;
                if ((st & (1 << 10)) != 0) fn = " ips[" + Integer.toHexString(vid(vids, vma.getShmid())) + "]";
                else if ((st & (1 << 8)) != 0) fn = " shmem[" + Integer.toHexString(vid(vids, vma.getShmid())) + "]";
                else if ((st & (1 << 11)) != 0) fn = " packet[" + Integer.toHexString(vid(vids, vma.getShmid())) + "]";
                else if ((st & ((1 << 6) | (1 << 7))) != 0) {
                    fn = " " + fileString("REG", vma.getShmid());
                    if (vma.getPgoff() != 0) fn += " + 0x" + Long.toHexString(vma.getPgoff());
                    if ((st & (1 << 7)) != 0) fn += " (s)";
                } else if ((st & (1 << 1)) != 0) fn = " [stack]";
                else if ((st & (1 << 2)) != 0) fn = " [vsyscall]";
                else if ((st & (1 << 3)) != 0) fn = " [vdso]";
                else if ((vma.getFlags() & 0x0100) != 0) fn = " [stack?]";
                else fn = "";
                if ((st & 1) == 0) fn += " *";
                String prot = ((vma.getProt() & 1) != 0 ? "r" : "-") + ((vma.getProt() & 2) != 0 ? "w" : "-")
                        + ((vma.getProt() & 4) != 0 ? "x" : "-");
                String range = String.format("%08x-%08x", vma.getStart(), vma.getEnd());
                out.append(String.format("\t%-36s%s%s%n", range, prot, fn));
            }
        }
    }

    /** crit numbers shared objects 1, 2, ... in order of first sight. */
    private static int vid(Map<Long, Integer> vids, long shmid) {
        return vids.computeIfAbsent(shmid, k -> vids.size() + 1);
    }

    // ---- rss

    private void rss(StringBuilder out) {
        for (Pstree.pstree_entry p : tasks()) {
            String pid = Integer.toUnsignedString(p.getPid());
            Optional<Mm.mm_entry> mm = first(image("mm-" + pid + ".img"), Mm.mm_entry.class);
            Optional<CriuImage> pms = image("pagemap-" + pid + ".img");
            out.append(pid).append('\n');
            if (mm.isEmpty() || pms.isEmpty()) {
                out.append('\t').append(noImagesNote(p, "memory")).append('\n');
                continue;
            }
            List<Vma.vma_entry> vmas = mm.get().getVmasList();
            int vmi = 0;
            int pvmi = -1;
            List<ImageEntry> entries = pms.get().entries();
            for (ImageEntry e : entries.subList(Math.min(1, entries.size()), entries.size())) {
                var pm = (Pagemap.pagemap_entry) e.message();
                long pages = Pagemaps.pageCount(pm);
                String pstr = String.format("\t%x / %-8d", pm.getVaddr(), pages);
                while (vmi < vmas.size() && Long.compareUnsigned(vmas.get(vmi).getEnd(), pm.getVaddr()) <= 0) vmi++;
                long pme = pm.getVaddr() + (pages << 12);
                StringBuilder vstr = new StringBuilder();
                while (vmi < vmas.size() && Long.compareUnsigned(vmas.get(vmi).getStart(), pme) < 0) {
                    Vma.vma_entry vma = vmas.get(vmi);
                    if (vmi == pvmi) {
                        vstr.append(" ~");
                    } else {
                        vstr.append(String.format(" %08x / %-8d", vma.getStart(), (vma.getEnd() - vma.getStart()) >>> 12));
                        if ((vma.getStatus() & ((1 << 6) | (1 << 7))) != 0) vstr.append(' ').append(fileString("REG", vma.getShmid()));
                        pvmi = vmi;
                    }
                    vstr.append("\n\t").append(" ".repeat(23));
                    vmi++;
                }
                vmi = Math.max(0, vmi - 1);
                out.append(String.format("%-24s%s%n", pstr, vstr));
            }
        }
    }

    // ---- files

    private String fileString(String type, long id) {
        return fileNames.computeIfAbsent(type + "." + id, k -> switch (type) {
            case "REG" -> findFile(id, "reg", "reg-files.img")
                    .map(m -> ((Regfile.reg_file_entry) m).getName()).orElse("unknown path");
            case "PIPE" -> findFile(id, "pipe", "pipes.img")
                    .map(m -> "pipe[" + Integer.toUnsignedString(((Pipe.pipe_entry) m).getPipeId()) + "]").orElse("pipe[?]");
            case "UNIXSK" -> findFile(id, "usk", "unixsk.img").map(m -> {
                var ux = (SkUnix.unix_sk_entry) m;
                String name = ux.getName().isEmpty() ? "" : " " + QuotedPrintable.encode(ux.getName().toByteArray());
                return "unix[" + Integer.toUnsignedString(ux.getIno()) + " (" + Integer.toUnsignedString(ux.getPeer()) + ")" + name + "]";
            }).orElse("unix[?]");
            default -> type + "." + id;
        });
    }

    /** The file's typed part, from files.img (CRIU >= 3.?) or else from the per-type image of older dumps. */
    private Optional<com.google.protobuf.Message> findFile(long id, String field, String legacyImage) {
        if (files == null) {
            files = new ArrayList<>();
            try {
                image("files.img").ifPresent(i -> i.entries().forEach(e -> files.add((Fdinfo.file_entry) e.message())));
            } catch (ImageFormatException ignored) {
                // crit also falls back to the per-type images when files.img is unreadable
            }
        }
        if (!files.isEmpty()) {
            for (Fdinfo.file_entry f : files) {
                if (Integer.toUnsignedLong(f.getId()) == id) {
                    var fd = Fdinfo.file_entry.getDescriptor().findFieldByName(field);
                    return f.hasField(fd) ? Optional.of((com.google.protobuf.Message) f.getField(fd)) : Optional.empty();
                }
            }
        }
        return image(legacyImage).flatMap(img -> img.entries().stream()
                .map(ImageEntry::message)
                .filter(m -> {
                    var idField = m.getDescriptorForType().findFieldByName("id");
                    return idField != null && Integer.toUnsignedLong((Integer) m.getField(idField)) == id;
                })
                .findFirst());
    }

    // ---- images

    private List<Pstree.pstree_entry> tasks() {
        CriuImage ps = image("pstree.img").orElseThrow(() -> new ImageFormatException("no pstree.img in " + images));
        return ps.entries().stream().map(e -> (Pstree.pstree_entry) e.message()).toList();
    }

    private Optional<CriuImage> image(String name) {
        if (cache.containsKey(name)) return Optional.ofNullable(cache.get(name));
        Optional<CriuImage> img = images.image(name);
        cache.put(name, img.orElse(null));
        return img;
    }

    private static <T> Optional<T> first(Optional<CriuImage> img, Class<T> type) {
        return img.filter(i -> !i.entries().isEmpty())
                .map(i -> i.entries().getFirst().message())
                .filter(type::isInstance)
                .map(type::cast);
    }
}
