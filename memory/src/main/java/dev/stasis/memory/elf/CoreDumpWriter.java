package dev.stasis.memory.elf;

import dev.stasis.checkpoint.criu.images.Core.core_entry;
import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MemoryException;
import dev.stasis.memory.PageState;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.Vma;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an ELF64 core file for one checkpointed x86_64 process, readable by
 * gdb: a PT_NOTE segment (per thread NT_PRSTATUS and NT_FPREGSET from the
 * thread's core image; NT_PRPSINFO, NT_SIGINFO, NT_AUXV and NT_FILE for the
 * process, in the kernel's order) and one PT_LOAD segment per VMA whose bytes
 * come only from the checkpoint. Pages the checkpoint does not hold are left
 * as zeros (holes in a sparse file) and counted in the result.
 */
public final class CoreDumpWriter {
    private static final int PAGE = 4096, EHDR = 64, PHDR = 56;
    private static final int PT_LOAD = 1, PT_NOTE = 4, ET_CORE = 4, EM_X86_64 = 62;
    private static final int PF_X = 1, PF_W = 2, PF_R = 4;

    /** What was written: the file, its segments and the pages that had to be left zero, by reason. */
    public record Result(Path file, int threads, int loadSegments, long dataPages, Map<PageState, Long> missingPages) {}

    private CoreDumpWriter() {}

    public static Result write(CheckpointMemory memory, int pid, Path file) throws IOException {
        ProcessMemory p = memory.process(pid);
        AddressSpace as = memory.addressSpace(pid);
        List<Vma> vmas = p.vmas();
        core_entry main = memory.threadCore(pid);
        if (!main.hasThreadInfo()) throw new MemoryException("core-" + pid + ".img has no x86_64 registers (mtype " + main.getMtype() + "); only x86_64 cores are supported");

        CoreNotes notes = new CoreNotes();
        List<Integer> tids = new ArrayList<>(p.threads());
        tids.remove(Integer.valueOf(pid));
        tids.add(0, pid);
        boolean first = true;
        for (int tid : tids) {
            core_entry c = tid == pid ? main : memory.threadCore(tid);
            long blocked = c.hasThreadCore() && c.getThreadCore().hasBlkSigset() ? c.getThreadCore().getBlkSigset()
                    : main.hasTc() ? main.getTc().getBlkSigset() : 0;
            notes.add(CoreNotes.NT_PRSTATUS, CoreNotes.prstatus(tid, p, c, blocked));
            if (first) {
                notes.add(CoreNotes.NT_PRPSINFO, CoreNotes.prpsinfo(p, main, cmdline(as, p)));
                notes.add(CoreNotes.NT_SIGINFO, CoreNotes.siginfo());
                notes.add(CoreNotes.NT_AUXV, CoreNotes.auxv(p.mm().getMmSavedAuxvList()));
                notes.add(CoreNotes.NT_FILE, CoreNotes.files(vmas));
                first = false;
            }
            notes.add(CoreNotes.NT_FPREGSET, CoreNotes.fpregset(c));
        }
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
        EnumMap<PageState, Long> missing = new EnumMap<>(PageState.class);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(head.array()), 0);
            writeFully(ch, ByteBuffer.wrap(noteBytes), noteOff);
            byte[] page = new byte[PAGE];
            for (int i = 0; i < vmas.size(); i++) {
                Vma v = vmas.get(i);
                if (!dumpable(v)) continue;
                for (long a = v.start(); Long.compareUnsigned(a, v.end()) < 0; a += PAGE) {
                    AddressSpace.PageLocation loc = as.locate(a);
                    if (loc.state() == PageState.DATA) {
                        as.read(a, page, 0, PAGE);
                        writeFully(ch, ByteBuffer.wrap(page), offsets.get(i) + (a - v.start()));
                        dataPages++;
                    } else if (!loc.state().known()) {
                        missing.merge(loc.state(), 1L, Long::sum);
                    }
                }
            }
            // the last segment may end in a hole; make the file as long as the headers say
            if (ch.size() < off) writeFully(ch, ByteBuffer.wrap(new byte[1]), off - 1);
        }
        return new Result(file, tids.size(), vmas.size(), dataPages, missing);
    }

    /** VMAs whose content a core file should carry: not the kernel's vvar/vsyscall pages, not PROT_NONE guards. */
    private static boolean dumpable(Vma v) {
        return v.prot() != 0 && !v.is(Vma.AREA_VVAR) && !v.is(Vma.AREA_VSYSCALL) && !v.is(Vma.AREA_GUARD);
    }

    private static byte[] cmdline(AddressSpace as, ProcessMemory p) {
        long start = p.mm().getMmArgStart(), end = p.mm().getMmArgEnd();
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
