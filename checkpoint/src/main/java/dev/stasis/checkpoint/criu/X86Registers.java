package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.CoreX86;
import java.util.Collections;
import java.util.List;

/**
 * One thread's x86_64 registers as CRIU saved them ({@code thread_info_x86}).
 *
 * @param general the 27 general registers in the order of Linux's {@code struct user_regs_struct}
 *                ({@code asm/user_64.h}): r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx,
 *                si, di, orig_ax, ip, cs, flags, sp, ss, fs_base, gs_base, ds, es, fs, gs
 * @param fp      the FXSAVE legacy region and, when saved, the XSAVE components
 */
public record X86Registers(List<Long> general, FpRegisters fp) {
    public X86Registers {
        general = List.copyOf(general);
    }

    /**
     * {@code user_x86_fpregs_entry}: the FXSAVE fields ({@code stSpace} 32 words, {@code xmmSpace}
     * 64 words as saved; a damaged image may hold other counts) and {@code xsave}, null when the
     * CPU had no XSAVE.
     */
    public record FpRegisters(int cwd, int swd, int twd, int fop, long rip, long rdp, int mxcsr, int mxcsrMask,
                              List<Integer> stSpace, List<Integer> xmmSpace, XSave xsave) {
        public FpRegisters {
            stSpace = List.copyOf(stSpace);
            xmmSpace = List.copyOf(xmmSpace);
        }
    }

    /**
     * {@code user_x86_xsave_entry}: the header's {@code xstate_bv} and one list per extended
     * component, empty when the CPU (and kernel) did not have that feature.
     */
    public record XSave(long xstateBv, List<Integer> ymmh, List<Long> bndregs, List<Long> bndcsr, List<Long> opmask,
                        List<Long> zmmUpper, List<Long> hi16Zmm, List<Integer> pkru) {
        public XSave {
            ymmh = List.copyOf(ymmh);
            bndregs = List.copyOf(bndregs);
            bndcsr = List.copyOf(bndcsr);
            opmask = List.copyOf(opmask);
            zmmUpper = List.copyOf(zmmUpper);
            hi16Zmm = List.copyOf(hi16Zmm);
            pkru = List.copyOf(pkru);
        }
    }

    /** All zero, no XSAVE: what a thread whose core image lacks its registers reads as. */
    public static final X86Registers ZERO = new X86Registers(Collections.nCopies(27, 0L),
            new FpRegisters(0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), null));

    static X86Registers of(CoreX86.thread_info_x86 info) {
        CoreX86.user_x86_regs_entry r = info.getGpregs();
        List<Long> general = List.of(r.getR15(), r.getR14(), r.getR13(), r.getR12(), r.getBp(), r.getBx(), r.getR11(), r.getR10(),
                r.getR9(), r.getR8(), r.getAx(), r.getCx(), r.getDx(), r.getSi(), r.getDi(), r.getOrigAx(), r.getIp(), r.getCs(),
                r.getFlags(), r.getSp(), r.getSs(), r.getFsBase(), r.getGsBase(), r.getDs(), r.getEs(), r.getFs(), r.getGs());
        CoreX86.user_x86_fpregs_entry f = info.getFpregs();
        XSave xsave = null;
        if (f.hasXsave()) {
            CoreX86.user_x86_xsave_entry x = f.getXsave();
            xsave = new XSave(x.getXstateBv(), x.getYmmhSpaceList(), x.getBndregStateList(), x.getBndcsrStateList(),
                    x.getOpmaskRegList(), x.getZmmUpperList(), x.getHi16ZmmList(), x.getPkruList());
        }
        return new X86Registers(general, new FpRegisters(f.getCwd(), f.getSwd(), f.getTwd(), f.getFop(), f.getRip(), f.getRdp(),
                f.getMxcsr(), f.getMxcsrMask(), f.getStSpaceList(), f.getXmmSpaceList(), xsave));
    }
}
