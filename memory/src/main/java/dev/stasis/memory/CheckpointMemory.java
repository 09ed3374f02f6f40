package dev.stasis.memory;

import dev.stasis.checkpoint.criu.CoreImage;
import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.FileEntries;
import dev.stasis.checkpoint.criu.FileEntries.FileObject;
import dev.stasis.checkpoint.criu.FileEntries.MemfdInode;
import dev.stasis.checkpoint.criu.MmImage;
import dev.stasis.checkpoint.criu.PstreeEntry;
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
    public CoreImage threadCore(int tid) {
        String name = "core-" + tid + ".img";
        try {
            byte[] b = source.image(name).orElseThrow(() -> new MemoryException(name + " is missing from the checkpoint"));
            return CoreImage.read(SourceImages.decode(name, b)).orElseThrow(() -> new MemoryException(name + " has no entry"));
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

        private Optional<CriuImage> image(String name) throws IOException {
            return SourceImages.read(src, names, name);
        }

        CheckpointMemory load() throws IOException {
            if (!names.contains("pstree.img")) throw new MemoryException("not a CRIU checkpoint: pstree.img is missing");
            Map<Long, String> fileNames = new HashMap<>();
            Map<Long, Long> memfdShmid = new HashMap<>();
            Map<Long, MemfdInode> inodes = new HashMap<>();
            Optional<CriuImage> memfd = image("memfd.img");
            if (memfd.isPresent()) for (MemfdInode e : FileEntries.memfdInodes(memfd.get())) inodes.put(e.inodeId(), e);
            Set<Long> ghosts = new HashSet<>();
            Optional<CriuImage> remaps = image("remap-fpath.img");
            if (remaps.isPresent()) for (FileEntries.Remap e : FileEntries.remaps(remaps.get())) ghosts.add(e.origId());
            Optional<CriuImage> files = image("files.img");
            if (files.isPresent()) for (FileObject f : FileEntries.files(files.get())) {
                switch (f) {
                    case FileEntries.Regular r -> fileNames.put(r.id(), r.name() + (ghosts.contains(r.id()) ? " (deleted)" : ""));
                    case FileEntries.MemfdFile m -> {
                        MemfdInode ino = inodes.get(m.inodeId());
                        fileNames.put(m.id(), "/memfd:" + (ino == null ? "?" : ino.name()) + " (deleted)");
                        if (ino != null) memfdShmid.put(m.id(), ino.shmid());
                    }
                }
            }

            Map<Integer, ProcessMemory> procs = new LinkedHashMap<>();
            Map<Integer, String> damaged = new LinkedHashMap<>();
            for (PstreeEntry t : PstreeEntry.read(image("pstree.img").orElseThrow())) {
                int pid = t.pid();
                try {
                    procs.put(pid, process(t, fileNames, memfdShmid));
                } catch (MemoryException e) {
                    damaged.put(pid, e.getMessage());
                    procs.put(pid, new ProcessMemory(pid, t.ppid(), t.pgid(), t.sid(), "?", 0, t.threads(), List.of(), null, null));
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

        private ProcessMemory process(PstreeEntry t, Map<Long, String> fileNames, Map<Long, Long> memfdShmid) throws IOException {
            int pid = t.pid();
            Optional<CoreImage> core = image("core-" + pid + ".img").flatMap(CoreImage::read);
            CoreImage.Task tc = core.map(CoreImage::task).orElse(null);
            String comm = tc == null ? "?" : tc.comm();
            int state = tc == null ? 0 : tc.state();
            MmImage mm = image("mm-" + pid + ".img").flatMap(MmImage::read).orElse(null);
            List<Vma> vmas = new ArrayList<>();
            if (mm != null) for (MmImage.VmaEntry v : mm.vmas()) vmas.add(vma(v, mm, fileNames, memfdShmid));
            vmas.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
            String pmName = "pagemap-" + pid + ".img";
            Pagemap pm = names.contains(pmName) ? Pagemap.decode(pmName, src.image(pmName).orElseThrow()) : null;
            if (mm != null && pm == null) throw new MemoryException("process " + pid + " has mm-" + pid + ".img but no " + pmName);
            return new ProcessMemory(pid, t.ppid(), t.pgid(), t.sid(), comm, state, t.threads(), vmas, pm, mm);
        }

        private static Vma vma(MmImage.VmaEntry v, MmImage mm, Map<Long, String> fileNames, Map<Long, Long> memfdShmid) {
            long status = v.status();
            long start = v.start(), end = v.end();
            if (Long.compareUnsigned(end, start) <= 0 || start % Pagemap.PAGE_SIZE != 0 || end % Pagemap.PAGE_SIZE != 0)
                throw new MemoryException("VMA " + Long.toHexString(start) + "-" + Long.toHexString(end) + " is empty or not page aligned");
            long fileId = -1, shmem = -1;
            String name;
            if ((status & Vma.AREA_MEMFD) != 0) {
                fileId = v.shmid();
                shmem = memfdShmid.getOrDefault(fileId, -1L);
                name = fileNames.getOrDefault(fileId, "/memfd:? (deleted)");
            } else if ((status & (Vma.FILE_PRIVATE | Vma.FILE_SHARED)) != 0) {
                fileId = v.shmid();
                name = fileNames.getOrDefault(fileId, "file#" + fileId);
            } else if ((status & Vma.ANON_SHARED) != 0) {
                shmem = v.shmid();
                name = "/dev/zero (deleted)";
            } else if ((status & Vma.AREA_SYSVIPC) != 0) {
                name = "SYSV" + String.format("%08x", v.shmid());
            } else if ((status & Vma.AREA_VDSO) != 0) {
                name = "[vdso]";
            } else if ((status & Vma.AREA_VVAR) != 0) {
                name = "[vvar]";
            } else if ((status & Vma.AREA_VSYSCALL) != 0) {
                name = "[vsyscall]";
            } else if ((status & Vma.AREA_HEAP) != 0) {
                name = "[heap]";
            } else if ((status & Vma.AREA_STACK) != 0
                    || (Long.compareUnsigned(mm.startStack(), start) >= 0 && Long.compareUnsigned(mm.startStack(), end) < 0)) {
                name = "[stack]";
            } else {
                name = "";
            }
            return new Vma(start, end, v.pgoff(), v.prot(), v.flags(), status, fileId, name, shmem);
        }
    }
}
