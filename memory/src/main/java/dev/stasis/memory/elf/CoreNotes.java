package dev.stasis.memory.elf;

import dev.stasis.checkpoint.criu.images.Core.core_entry;
import dev.stasis.checkpoint.criu.images.CoreX86.user_x86_fpregs_entry;
import dev.stasis.checkpoint.criu.images.CoreX86.user_x86_regs_entry;
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

    static byte[] prstatus(int tid, ProcessMemory p, core_entry core, long sigBlocked) {
        ByteBuffer b = le(PRSTATUS_SIZE);
        // si_signo/si_code/si_errno/pr_cursig stay 0: the process was frozen, not killed by a signal
        b.putLong(24, sigBlocked);
        b.putInt(32, tid).putInt(36, p.ppid()).putInt(40, p.pgid()).putInt(44, p.sid());
        user_x86_regs_entry r = core.getThreadInfo().getGpregs();
        long[] regs = {r.getR15(), r.getR14(), r.getR13(), r.getR12(), r.getBp(), r.getBx(), r.getR11(), r.getR10(), r.getR9(),
                r.getR8(), r.getAx(), r.getCx(), r.getDx(), r.getSi(), r.getDi(), r.getOrigAx(), r.getIp(), r.getCs(), r.getFlags(),
                r.getSp(), r.getSs(), r.getFsBase(), r.getGsBase(), r.getDs(), r.getEs(), r.getFs(), r.getGs()};
        b.position(112);
        for (long v : regs) b.putLong(v);
        b.putInt(328, 1); // pr_fpvalid: an NT_FPREGSET follows
        return b.array();
    }

    static byte[] fpregset(core_entry core) {
        ByteBuffer b = le(FPREGSET_SIZE);
        user_x86_fpregs_entry f = core.getThreadInfo().getFpregs();
        b.putShort(0, (short) f.getCwd()).putShort(2, (short) f.getSwd()).putShort(4, (short) f.getTwd()).putShort(6, (short) f.getFop());
        b.putLong(8, f.getRip()).putLong(16, f.getRdp()).putInt(24, f.getMxcsr()).putInt(28, f.getMxcsrMask());
        for (int i = 0; i < Math.min(32, f.getStSpaceCount()); i++) b.putInt(32 + 4 * i, f.getStSpace(i));
        for (int i = 0; i < Math.min(64, f.getXmmSpaceCount()); i++) b.putInt(160 + 4 * i, f.getXmmSpace(i));
        return b.array();
    }

    static byte[] prpsinfo(ProcessMemory p, core_entry core, byte[] cmdline) {
        ByteBuffer b = le(PRPSINFO_SIZE);
        int state = switch (p.taskState()) {
            case ProcessMemory.TASK_STOPPED -> 3;
            case ProcessMemory.TASK_DEAD -> 4;
            default -> 0;
        };
        b.put(0, (byte) state).put(1, (byte) "RSDTZW".charAt(state)).put(2, (byte) (state == 4 ? 1 : 0));
        if (core.hasThreadCore() && core.getThreadCore().hasSchedNice()) b.put(3, (byte) core.getThreadCore().getSchedNice());
        if (core.hasTc()) b.putLong(8, Integer.toUnsignedLong(core.getTc().getFlags()));
        if (core.hasThreadCore() && core.getThreadCore().hasCreds())
            b.putInt(16, core.getThreadCore().getCreds().getUid()).putInt(20, core.getThreadCore().getCreds().getGid());
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
