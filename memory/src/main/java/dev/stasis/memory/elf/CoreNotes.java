package dev.stasis.memory.elf;

import dev.stasis.checkpoint.criu.CoreImage;
import dev.stasis.checkpoint.criu.X86Registers;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.Vma;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The ELF notes of an x86_64 Linux core file, laid out as the kernel's
 * {@code binfmt_elf} writes them (struct layouts from Linux's
 * {@code include/uapi/linux/elfcore.h} and {@code asm/user_64.h}).
 */
final class CoreNotes {
    static final int NT_PRSTATUS = 1, NT_FPREGSET = 2, NT_PRPSINFO = 3, NT_AUXV = 6;
    static final int NT_SIGINFO = 0x53494749, NT_FILE = 0x46494c45;
    static final int PRSTATUS_SIZE = 336, PRPSINFO_SIZE = 136, FPREGSET_SIZE = 512, SIGINFO_SIZE = 128;
    /** Linux's owner for register sets beyond the classic two (NT_X86_XSTATE); binutils checks it. */
    static final String OWNER_LINUX = "LINUX";
    /**
     * stasis's own note: text, one line per VMA whose bytes did not all come from the checkpoint's
     * page images (filled from a mapped file the checkpoint holds, or left zero, and why). Readers
     * skip notes they do not know; the type ("STAS") collides with no Linux or gdb note type.
     */
    static final String OWNER_STASIS = "STASIS";
    static final int NT_STASIS_SOURCES = 0x53544153;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    byte[] bytes() {
        return out.toByteArray();
    }

    /** One note owned by "CORE" (the process-wide and classic register notes). */
    void add(int type, byte[] desc) {
        add("CORE", type, desc);
    }

    /**
     * One note: header, owner NUL-terminated and padded to 4, descriptor padded to 4. Linux
     * writes the extra register sets (NT_X86_XSTATE) with owner "LINUX", and readers check it.
     */
    void add(String owner, int type, byte[] desc) {
        byte[] name = (owner + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer h = le(12 + pad4(name.length));
        h.putInt(name.length).putInt(desc.length).putInt(type).put(name);
        out.writeBytes(h.array());
        out.writeBytes(desc);
        out.writeBytes(new byte[pad4(desc.length) - desc.length]);
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }

    static byte[] prstatus(int tid, ProcessMemory p, X86Registers regs, long sigBlocked) {
        ByteBuffer b = le(PRSTATUS_SIZE);
        // si_signo/si_code/si_errno/pr_cursig stay 0: the process was frozen, not killed by a signal
        b.putLong(24, sigBlocked);
        b.putInt(32, tid).putInt(36, p.ppid()).putInt(40, p.pgid()).putInt(44, p.sid());
        // pr_reg is struct user_regs_struct, the order X86Registers.general() keeps
        b.position(112);
        for (long v : regs.general()) b.putLong(v);
        b.putInt(328, 1); // pr_fpvalid: an NT_FPREGSET follows
        return b.array();
    }

    static byte[] fpregset(X86Registers.FpRegisters f) {
        ByteBuffer b = le(FPREGSET_SIZE);
        b.putShort(0, (short) f.cwd()).putShort(2, (short) f.swd()).putShort(4, (short) f.twd()).putShort(6, (short) f.fop());
        b.putLong(8, f.rip()).putLong(16, f.rdp()).putInt(24, f.mxcsr()).putInt(28, f.mxcsrMask());
        for (int i = 0; i < Math.min(32, f.stSpace().size()); i++) b.putInt(32 + 4 * i, f.stSpace().get(i));
        for (int i = 0; i < Math.min(64, f.xmmSpace().size()); i++) b.putInt(160 + 4 * i, f.xmmSpace().get(i));
        return b.array();
    }

    static byte[] prpsinfo(ProcessMemory p, CoreImage core, byte[] cmdline) {
        ByteBuffer b = le(PRPSINFO_SIZE);
        int state = switch (p.taskState()) {
            case ProcessMemory.TASK_STOPPED -> 3;
            case ProcessMemory.TASK_DEAD -> 4;
            default -> 0;
        };
        b.put(0, (byte) state).put(1, (byte) "RSDTZW".charAt(state)).put(2, (byte) (state == 4 ? 1 : 0));
        CoreImage.ThreadState thread = core.thread();
        if (thread != null && thread.schedNice() != null) b.put(3, (byte) (int) thread.schedNice());
        if (core.task() != null) b.putLong(8, core.task().flags());
        if (thread != null && thread.uid() != null)
            b.putInt(16, (int) (long) thread.uid()).putInt(20, (int) (long) thread.gid());
        b.putInt(24, p.pid()).putInt(28, p.ppid()).putInt(32, p.pgid()).putInt(36, p.sid());
        byte[] comm = p.comm().getBytes(StandardCharsets.UTF_8);
        b.put(40, comm, 0, Math.min(15, comm.length));
        byte[] args = cmdline.clone();
        for (int i = 0; i < args.length; i++) if (args[i] == 0) args[i] = ' ';
        int n = args.length;
        while (n > 0 && args[n - 1] == ' ') n--;
        b.put(56, args, 0, Math.min(79, n));
        return b.array();
    }

    static byte[] siginfo() {
        return new byte[SIGINFO_SIZE];
    }

    static byte[] auxv(List<Long> saved) {
        ByteBuffer b = le((saved.size() / 2 + 1) * 16);
        for (int i = 0; i + 1 < saved.size(); i += 2) {
            if (saved.get(i) == 0) break;
            b.putLong(saved.get(i)).putLong(saved.get(i + 1));
        }
        b.putLong(0).putLong(0); // AT_NULL
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static byte[] files(List<Vma> vmas) {
        List<Vma> mapped = vmas.stream().filter(v -> v.fileId() >= 0 && !v.name().isEmpty()).toList();
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        ByteBuffer b = le(16 + 24 * mapped.size());
        b.putLong(mapped.size()).putLong(4096);
        for (Vma v : mapped) {
            b.putLong(v.start()).putLong(v.end()).putLong(v.pgoff() / 4096);
            names.writeBytes(v.name().getBytes(StandardCharsets.UTF_8));
            names.write(0);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(b.array());
        all.writeBytes(names.toByteArray());
        return all.toByteArray();
    }

    static byte[] sources(List<CoreDumpWriter.VmaSource> vmas) {
        StringBuilder b = new StringBuilder("stasis: where the bytes of VMAs not wholly from the checkpoint's page images came from\n");
        for (CoreDumpWriter.VmaSource v : vmas) if (v.notable()) b.append(v.describe()).append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
