package dev.stasis.memory.elf;

import dev.stasis.checkpoint.criu.CoreImage;
import dev.stasis.checkpoint.criu.X86Registers;
import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MappedFiles;
import dev.stasis.memory.MemoryException;
import dev.stasis.memory.PageState;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.Vma;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;

/**
 * Writes an ELF64 core file for one checkpointed x86_64 process, readable by
 * gdb: a PT_NOTE segment (per thread NT_PRSTATUS, NT_FPREGSET and
 * NT_X86_XSTATE from the thread's core image; NT_PRPSINFO, NT_SIGINFO, NT_AUXV
 * and NT_FILE for the process, in the kernel's order; a "STASIS" note saying
 * where each VMA's bytes came from) and one PT_LOAD segment per VMA whose
 * bytes come only from the checkpoint: its page images first, then, for file
 * pages CRIU did not dump, the file's copy inside the checkpoint
 * ({@link MappedFiles}: ghost files, rootfs-diff.tar). Pages the checkpoint
 * does not hold at all are left as zeros (holes in a sparse file) and counted.
 */
public final class CoreDumpWriter {
    private static final int PAGE = 4096, EHDR = 64, PHDR = 56;
    private static final int PT_LOAD = 1, PT_NOTE = 4, ET_CORE = 4, EM_X86_64 = 62;
    private static final int PF_X = 1, PF_W = 2, PF_R = 4;

    /**
     * What was written: the file, its segments, pages copied from the checkpoint's page images
     * ({@code dataPages}) and from mapped files held in the checkpoint ({@code filePages}), the
     * pages that had to be left zero by reason, and the same per VMA.
     */
    public record Result(Path file, int threads, int loadSegments, long dataPages, long filePages,
                         Map<PageState, Long> missingPages, List<VmaSource> vmas) {
        /** Pages left zero because the checkpoint lacks them. */
        public long zeroPages() {
            return missingPages.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Where one VMA's bytes in the core came from: {@code checkpointPages} from the page images
     * (pagemap, shmem/memfd pagemaps), {@code filePages} from {@code fileOrigin} (e.g.
     * "ghost-file-1.img", "rootfs-diff.tar:/opt/x"; null when none), {@code zeroPages} left zero
     * for {@code zeroReason} (null when none). Untouched anonymous pages are true zeros and counted
     * nowhere. Kernel pages ([vvar], [vsyscall]) and PROT_NONE guards are not dumped: all counts 0.
     */
    public record VmaSource(long start, long end, String perms, String name, long checkpointPages, long filePages,
                            String fileOrigin, long zeroPages, String zeroReason) {
        /** One line for the core's STASIS note and the command's output. */
        public String describe() {
            StringBuilder b = new StringBuilder(Long.toHexString(start) + "-" + Long.toHexString(end) + " " + perms + " " + name + ": ");
            b.append(checkpointPages).append(" page(s) from the checkpoint's page images");
            if (filePages > 0) b.append(", ").append(filePages).append(" from ").append(fileOrigin);
            if (zeroPages > 0) b.append(", ").append(zeroPages).append(" left zero (").append(zeroReason).append(")");
            return b.toString();
        }

        /** True when some bytes came from a mapped file or are missing: the lines worth showing. */
        public boolean notable() {
            return filePages > 0 || zeroPages > 0;
        }
    }

    private CoreDumpWriter() {}

    /** A core with ghost files filled in; see {@link #write(CheckpointMemory, int, Path, MappedFiles)}. */
    public static Result write(CheckpointMemory memory, int pid, Path file) throws IOException {
        return write(memory, pid, file, MappedFiles.of(memory));
    }

    /**
     * Writes the core of {@code pid} to {@code file}. File pages CRIU did not dump are filled from
     * {@code files} where the checkpoint holds the file ({@code MappedFiles.of(memory, archive)} adds
     * rootfs-diff.tar and saved tmpfs mounts), never from this machine's files.
     */
    public static Result write(CheckpointMemory memory, int pid, Path file, MappedFiles files) throws IOException {
        ProcessMemory p = memory.process(pid);
        AddressSpace as = memory.addressSpace(pid);
        List<Vma> vmas = p.vmas();
        CoreImage main = memory.threadCore(pid);
        if (main.x86() == null) throw new MemoryException("core-" + pid + ".img has no x86_64 registers (mtype " + main.machine() + "); only x86_64 cores are supported");

        CoreNotes notes = new CoreNotes();
        List<Integer> tids = new ArrayList<>(p.threads());
        tids.remove(Integer.valueOf(pid));
        tids.add(0, pid);
        boolean first = true;
        for (int tid : tids) {
            CoreImage c = tid == pid ? main : memory.threadCore(tid);
            // a thread whose image lacks registers reads as zeros, as its absent fields always did
            X86Registers regs = c.x86() == null ? X86Registers.ZERO : c.x86();
            long blocked = c.thread() != null && c.thread().blockedSignals() != null ? c.thread().blockedSignals()
                    : main.task() != null ? main.task().blockedSignals() : 0;
            notes.add(CoreNotes.NT_PRSTATUS, CoreNotes.prstatus(tid, p, regs, blocked));
            if (first) {
                notes.add(CoreNotes.NT_PRPSINFO, CoreNotes.prpsinfo(p, main, cmdline(as, p)));
                notes.add(CoreNotes.NT_SIGINFO, CoreNotes.siginfo());
                notes.add(CoreNotes.NT_AUXV, CoreNotes.auxv(p.mm().savedAuxv()));
                notes.add(CoreNotes.NT_FILE, CoreNotes.files(vmas));
                first = false;
            }
            byte[] fp = CoreNotes.fpregset(regs.fp());
            notes.add(CoreNotes.NT_FPREGSET, fp);
            if (XStateNote.present(regs.fp()))
                notes.add(CoreNotes.OWNER_LINUX, XStateNote.NT_X86_XSTATE, XStateNote.of(regs.fp().xsave(), fp));
        }
        FillPlan plan = FillPlan.of(as, vmas, files);
        notes.add(CoreNotes.OWNER_STASIS, CoreNotes.NT_STASIS_SOURCES, CoreNotes.sources(plan.sources()));
        byte[] noteBytes = notes.bytes();

        int phnum = vmas.size() + 1;
        if (phnum >= 0xffff) throw new MemoryException("process " + pid + " has " + vmas.size() + " VMAs; more than an ELF header can count");
        long noteOff = EHDR + (long) PHDR * phnum;
        long dataOff = align(noteOff + noteBytes.length);
        ByteBuffer head = CoreNotes.le((int) noteOff);
        head.put(new byte[] {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little endian */, 1 /* EV_CURRENT */, 0 /* SYSV */});
        head.position(16);
        head.putShort((short) ET_CORE).putShort((short) EM_X86_64).putInt(1).putLong(0).putLong(EHDR).putLong(0).putInt(0)
                .putShort((short) EHDR).putShort((short) PHDR).putShort((short) phnum).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        phdr(head, PT_NOTE, 0, noteOff, 0, noteBytes.length, noteBytes.length, 4);
        long off = dataOff;
        List<Long> offsets = new ArrayList<>();
        for (Vma v : vmas) {
            long filesz = dumpable(v) ? v.size() : 0;
            phdr(head, PT_LOAD, flags(v.prot()), off, v.start(), filesz, v.size(), PAGE);
            offsets.add(off);
            off += filesz;
        }

        long dataPages = 0;
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        boolean done = false;
        try (ch) {
            writeFully(ch, ByteBuffer.wrap(head.array()), 0);
            writeFully(ch, ByteBuffer.wrap(noteBytes), noteOff);
            byte[] page = new byte[PAGE];
            for (int i = 0; i < vmas.size(); i++) {
                Vma v = vmas.get(i);
                if (!dumpable(v)) continue;
                for (long a = v.start(); Long.compareUnsigned(a, v.end()) < 0; a += PAGE) {
                    if (as.locate(a).state() != PageState.DATA) continue;
                    as.read(a, page, 0, PAGE);
                    writeFully(ch, ByteBuffer.wrap(page), offsets.get(i) + (a - v.start()));
                    dataPages++;
                }
            }
            Map<MappedFiles.Held, NavigableSet<Long>> wanted = new LinkedHashMap<>();
            plan.requests().forEach((held, pages) -> wanted.put(held, pages.navigableKeySet()));
            files.read(wanted, (held, index, bytes) -> {
                for (FillPlan.Target t : plan.requests().get(held).get(index))
                    writeFully(ch, ByteBuffer.wrap(bytes), offsets.get(t.vmaIndex()) + t.offsetInVma());
            });
            // the last segment may end in a hole; make the file as long as the headers say
            if (ch.size() < off) writeFully(ch, ByteBuffer.wrap(new byte[1]), off - 1);
            done = true;
        } finally {
            // a core with some segments missing would read as a process whose memory was zero there
            if (!done) Files.deleteIfExists(file);
        }
        return new Result(file, tids.size(), vmas.size(), dataPages, plan.filePages(), plan.missing(), plan.sources());
    }

    /** VMAs whose content a core file should carry: not the kernel's vvar/vsyscall pages, not PROT_NONE guards. */
    static boolean dumpable(Vma v) {
        return v.prot() != 0 && !v.is(Vma.AREA_VVAR) && !v.is(Vma.AREA_VSYSCALL) && !v.is(Vma.AREA_GUARD);
    }

    private static byte[] cmdline(AddressSpace as, ProcessMemory p) {
        long start = p.mm().argStart(), end = p.mm().argEnd();
        long len = Math.min(Math.max(0, end - start), 4096);
        byte[] b = new byte[(int) len];
        if (len > 0) as.read(start, b, 0, b.length);
        return b;
    }

    private static void phdr(ByteBuffer b, int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
        b.putInt(type).putInt(flags).putLong(offset).putLong(vaddr).putLong(0).putLong(filesz).putLong(memsz).putLong(align);
    }

    private static int flags(int prot) {
        return ((prot & 1) != 0 ? PF_R : 0) | ((prot & 2) != 0 ? PF_W : 0) | ((prot & 4) != 0 ? PF_X : 0);
    }

    private static long align(long x) {
        return (x + PAGE - 1) & ~(long) (PAGE - 1);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) pos += ch.write(b, pos);
    }
}
