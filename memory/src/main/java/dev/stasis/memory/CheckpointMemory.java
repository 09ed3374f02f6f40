package dev.stasis.memory;

import dev.stasis.checkpoint.criu.images.Core.core_entry;
import dev.stasis.checkpoint.criu.images.Fdinfo.file_entry;
import dev.stasis.checkpoint.criu.images.Memfd.memfd_inode_entry;
import dev.stasis.checkpoint.criu.images.Mm.mm_entry;
import dev.stasis.checkpoint.criu.images.Pstree.pstree_entry;
import dev.stasis.checkpoint.criu.images.RemapFilePath.remap_file_path_entry;
import dev.stasis.checkpoint.criu.images.Vma.vma_entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The memory of every process in a checkpoint: decoded once from the small
 * images, with page bytes read on demand from the {@link MemorySource}.
 */
public final class CheckpointMemory {
    private final MemorySource source;
    private final Map<Integer, ProcessMemory> processes;
    private final Map<Long, Pagemap> shmem;
    private final Map<String, PageFile> pageFiles = new HashMap<>();
    /** Processes whose mm, core or pagemap image is damaged, with why: loaded without memory. */
    private final Map<Integer, String> damaged;

    private CheckpointMemory(MemorySource source, Map<Integer, ProcessMemory> processes, Map<Long, Pagemap> shmem, Map<Integer, String> damaged) {
        this.source = source;
        this.processes = processes;
        this.shmem = shmem;
        this.damaged = damaged;
    }

    /**
     * One line per process whose memory images are damaged. Such a process is
     * listed without memory, so that one bad image costs that process only and
     * not the memory of every other.
     */
    public List<String> warnings() {
        return damaged.entrySet().stream().map(e -> "process " + e.getKey() + ": " + e.getValue() + "; its memory is left out").toList();
    }

    public static CheckpointMemory load(MemorySource source) {
        try {
            return new Loader(source).load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MemorySource source() {
        return source;
    }

    /** Every process in pstree order (parents before children). */
    public List<ProcessMemory> processes() {
        return List.copyOf(processes.values());
    }

    public ProcessMemory process(int pid) {
        ProcessMemory p = processes.get(pid);
        if (p == null) throw new MemoryException("no process " + pid + " in the checkpoint (pids: " + processes.keySet() + ")");
        return p;
    }

    /** Shared-memory objects (shared anonymous mappings, memfds) by shmid. */
    public Map<Long, Pagemap> sharedMemory() {
        return Collections.unmodifiableMap(shmem);
    }

    public AddressSpace addressSpace(int pid) {
        ProcessMemory p = process(pid);
        if (damaged.containsKey(pid)) throw new MemoryException("process " + pid + " (" + p.comm() + "): its memory images are damaged: " + damaged.get(pid));
        if (!p.hasMemory())
            throw new MemoryException("process " + pid + " (" + p.comm() + ") is " + p.stateName() + ": it has no memory in the checkpoint");
        return new AddressSpace(this, p);
    }

    /** The decoded {@code core-<tid>.img} of one thread (registers, task and thread state). */
    public core_entry threadCore(int tid) {
        String name = "core-" + tid + ".img";
        try {
            byte[] b = source.image(name).orElseThrow(() -> new MemoryException(name + " is missing from the checkpoint"));
            List<core_entry> e = ImageEntries.parse(name, b, core_entry.parser());
            if (e.isEmpty()) throw new MemoryException(name + " has no entry");
            return e.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw pages image with this name, opened once. */
    public synchronized PageFile pageFile(String name) {
        PageFile f = pageFiles.get(name);
        if (f != null) return f;
        try {
            f = source.pages(name).orElseThrow(() -> new MemoryException(name + " is missing from the checkpoint"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pageFiles.put(name, f);
        return f;
    }

    /** Reads the pstree, core, mm, pagemap, files and memfd images. */
    private static final class Loader {
        private final MemorySource src;
        private final Set<String> names;

        Loader(MemorySource src) {
            this.src = src;
            this.names = new HashSet<>(src.names());
        }

        private <T> List<T> entries(String name, com.google.protobuf.Parser<T> parser) throws IOException {
            Optional<byte[]> b = names.contains(name) ? src.image(name) : Optional.empty();
            return b.isEmpty() ? List.of() : ImageEntries.parse(name, b.get(), parser);
        }

        CheckpointMemory load() throws IOException {
            if (!names.contains("pstree.img")) throw new MemoryException("not a CRIU checkpoint: pstree.img is missing");
            Map<Long, String> fileNames = new HashMap<>();
            Map<Long, Long> memfdShmid = new HashMap<>();
            Map<Long, memfd_inode_entry> inodes = new HashMap<>();
            for (memfd_inode_entry e : entries("memfd.img", memfd_inode_entry.parser())) inodes.put(e.getInodeId(), e);
            Set<Long> ghosts = new HashSet<>();
            for (remap_file_path_entry e : entries("remap-fpath.img", remap_file_path_entry.parser())) ghosts.add(Integer.toUnsignedLong(e.getOrigId()));
            for (file_entry f : entries("files.img", file_entry.parser())) {
                long id = Integer.toUnsignedLong(f.getId());
                if (f.hasReg()) fileNames.put(id, f.getReg().getName() + (ghosts.contains(id) ? " (deleted)" : ""));
                if (f.hasMemfd()) {
                    memfd_inode_entry ino = inodes.get(Integer.toUnsignedLong(f.getMemfd().getInodeId()));
                    fileNames.put(id, "/memfd:" + (ino == null ? "?" : ino.getName()) + " (deleted)");
                    if (ino != null) memfdShmid.put(id, Integer.toUnsignedLong(ino.getShmid()));
                }
            }

            Map<Integer, ProcessMemory> procs = new LinkedHashMap<>();
            Map<Integer, String> damaged = new LinkedHashMap<>();
            for (pstree_entry t : entries("pstree.img", pstree_entry.parser())) {
                int pid = t.getPid();
                List<Integer> threads = t.getThreadsCount() == 0 ? List.of(pid) : t.getThreadsList();
                try {
                    procs.put(pid, process(t, pid, threads, fileNames, memfdShmid));
                } catch (MemoryException e) {
                    damaged.put(pid, e.getMessage());
                    procs.put(pid, new ProcessMemory(pid, t.getPpid(), t.getPgid(), t.getSid(), "?", 0, threads, List.of(), null, null));
                }
            }

            Map<Long, Pagemap> shm = new HashMap<>();
            for (String n : names) {
                if (n.startsWith("pagemap-shmem-") && n.endsWith(".img")) {
                    try {
                        long id = Long.parseLong(n.substring("pagemap-shmem-".length(), n.length() - 4));
                        shm.put(id, Pagemap.decode(n, src.image(n).orElseThrow()));
                    } catch (NumberFormatException e) {
                        // not one of CRIU's names; nothing of ours to read
                    }
                }
            }
            return new CheckpointMemory(src, procs, shm, damaged);
        }

        private ProcessMemory process(pstree_entry t, int pid, List<Integer> threads, Map<Long, String> fileNames, Map<Long, Long> memfdShmid)
                throws IOException {
            List<core_entry> core = entries("core-" + pid + ".img", core_entry.parser());
            String comm = core.isEmpty() || !core.get(0).hasTc() ? "?" : core.get(0).getTc().getComm();
            int state = core.isEmpty() || !core.get(0).hasTc() ? 0 : core.get(0).getTc().getTaskState();
            List<mm_entry> mms = entries("mm-" + pid + ".img", mm_entry.parser());
            mm_entry mm = mms.isEmpty() ? null : mms.get(0);
            List<Vma> vmas = new ArrayList<>();
            if (mm != null) for (vma_entry v : mm.getVmasList()) vmas.add(vma(v, mm, fileNames, memfdShmid));
            vmas.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
            String pmName = "pagemap-" + pid + ".img";
            Pagemap pm = names.contains(pmName) ? Pagemap.decode(pmName, src.image(pmName).orElseThrow()) : null;
            if (mm != null && pm == null) throw new MemoryException("process " + pid + " has mm-" + pid + ".img but no " + pmName);
            return new ProcessMemory(pid, t.getPpid(), t.getPgid(), t.getSid(), comm, state, threads, vmas, pm, mm);
        }

        private static Vma vma(vma_entry v, mm_entry mm, Map<Long, String> fileNames, Map<Long, Long> memfdShmid) {
            long status = Integer.toUnsignedLong(v.getStatus());
            long start = v.getStart(), end = v.getEnd();
            if (Long.compareUnsigned(end, start) <= 0 || start % Pagemap.PAGE_SIZE != 0 || end % Pagemap.PAGE_SIZE != 0)
                throw new MemoryException("VMA " + Long.toHexString(start) + "-" + Long.toHexString(end) + " is empty or not page aligned");
            long fileId = -1, shmem = -1;
            String name;
            if ((status & Vma.AREA_MEMFD) != 0) {
                fileId = v.getShmid();
                shmem = memfdShmid.getOrDefault(fileId, -1L);
                name = fileNames.getOrDefault(fileId, "/memfd:? (deleted)");
            } else if ((status & (Vma.FILE_PRIVATE | Vma.FILE_SHARED)) != 0) {
                fileId = v.getShmid();
                name = fileNames.getOrDefault(fileId, "file#" + fileId);
            } else if ((status & Vma.ANON_SHARED) != 0) {
                shmem = v.getShmid();
                name = "/dev/zero (deleted)";
            } else if ((status & Vma.AREA_SYSVIPC) != 0) {
                name = "SYSV" + String.format("%08x", v.getShmid());
            } else if ((status & Vma.AREA_VDSO) != 0) {
                name = "[vdso]";
            } else if ((status & Vma.AREA_VVAR) != 0) {
                name = "[vvar]";
            } else if ((status & Vma.AREA_VSYSCALL) != 0) {
                name = "[vsyscall]";
            } else if ((status & Vma.AREA_HEAP) != 0) {
                name = "[heap]";
            } else if ((status & Vma.AREA_STACK) != 0
                    || (Long.compareUnsigned(mm.getMmStartStack(), start) >= 0 && Long.compareUnsigned(mm.getMmStartStack(), end) < 0)) {
                name = "[stack]";
            } else {
                name = "";
            }
            return new Vma(start, end, v.getPgoff(), v.getProt(), v.getFlags(), status, fileId, name, shmem);
        }
    }
}
