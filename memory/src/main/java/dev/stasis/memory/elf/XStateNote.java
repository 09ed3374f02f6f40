package dev.stasis.memory.elf;

import dev.stasis.checkpoint.criu.X86Registers;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The descriptor of an {@code NT_X86_XSTATE} note: a thread's XSAVE area in
 * the standard (non-compacted) format, as Linux writes it into a core file
 * and PTRACE_GETREGSET returns it. CRIU saved that area split into fields
 * (the FXSAVE legacy region in {@code user_x86_fpregs_entry}, the header's
 * {@code xstate_bv} and one repeated field per extended component); this puts
 * the pieces back at their architectural offsets.
 *
 * <p>CRIU does not record XCR0. It allocates a component's field exactly when
 * the CPU (and kernel) had that feature, so the present fields are the
 * enabled features. Linux stores XCR0 in the first quadword of the legacy
 * region's software-reserved bytes (offset 464) for ptrace and cores, and
 * gdb picks its register set from there, so the area is written with exactly
 * the size that set implies (gdb's {@code X86_XSTATE_SIZE(xcr0)}).
 */
final class XStateNote {
    static final int NT_X86_XSTATE = 0x202;
    /** Offset of XCR0 inside the legacy region's software-reserved bytes (Linux {@code xstate_fx_sw_bytes[0]}). */
    static final int XCR0_OFFSET = 464;
    static final int LEGACY_SIZE = 512, HEADER_OFFSET = 512, HEADER_SIZE = 64;

    /** One extended state component: its XCR0 bit and its place in the standard format (CPUID leaf 0xD). */
    private record Component(int bit, int offset, int size) {}

    static final int AVX = 2, BNDREGS = 3, BNDCSR = 4, OPMASK = 5, ZMM_HI256 = 6, HI16_ZMM = 7, PKRU = 9;
    private static final List<Component> COMPONENTS = List.of(
            new Component(AVX, 576, 256), new Component(BNDREGS, 960, 64), new Component(BNDCSR, 1024, 64),
            new Component(OPMASK, 1088, 64), new Component(ZMM_HI256, 1152, 512), new Component(HI16_ZMM, 1664, 1024),
            new Component(PKRU, 2688, 8));

    private XStateNote() {}

    /** True when CRIU saved an XSAVE area for this thread (its CPU had XSAVE enabled). */
    static boolean present(X86Registers.FpRegisters f) {
        return f.xsave() != null;
    }

    /** The features the checkpointed CPU had enabled: x87 and SSE always, plus one bit per saved component. */
    static long xcr0(X86Registers.XSave x) {
        long xcr0 = 0b11;
        if (!x.ymmh().isEmpty()) xcr0 |= 1L << AVX;
        if (!x.bndregs().isEmpty()) xcr0 |= 1L << BNDREGS;
        if (!x.bndcsr().isEmpty()) xcr0 |= 1L << BNDCSR;
        if (!x.opmask().isEmpty()) xcr0 |= 1L << OPMASK;
        if (!x.zmmUpper().isEmpty()) xcr0 |= 1L << ZMM_HI256;
        if (!x.hi16Zmm().isEmpty()) xcr0 |= 1L << HI16_ZMM;
        if (!x.pkru().isEmpty()) xcr0 |= 1L << PKRU;
        return xcr0;
    }

    /** The area's size for these features: the end of the last enabled component (576 with none). */
    static int size(long xcr0) {
        int size = HEADER_OFFSET + HEADER_SIZE;
        for (Component c : COMPONENTS) if ((xcr0 & (1L << c.bit())) != 0) size = Math.max(size, c.offset() + c.size());
        return size;
    }

    /**
     * The note descriptor.
     *
     * @param x      the thread's saved XSAVE components
     * @param legacy the 512-byte FXSAVE image already built for NT_FPREGSET (same bytes, as in the kernel's cores)
     */
    static byte[] of(X86Registers.XSave x, byte[] legacy) {
        long xcr0 = xcr0(x);
        ByteBuffer b = CoreNotes.le(size(xcr0));
        b.put(0, legacy, 0, LEGACY_SIZE);
        b.putLong(XCR0_OFFSET, xcr0);
        // a component whose xstate_bv bit is clear is in its initial state; a bit for a feature that
        // was never saved would make a reader trust bytes that are not there
        b.putLong(HEADER_OFFSET, x.xstateBv() & xcr0);
        // xcomp_bv (HEADER_OFFSET + 8) stays 0: the standard format, not the compacted one
        putInts(b, 576, 256, x.ymmh());
        putLongs(b, 960, 64, x.bndregs());
        putLongs(b, 1024, 64, x.bndcsr());
        putLongs(b, 1088, 64, x.opmask());
        putLongs(b, 1152, 512, x.zmmUpper());
        putLongs(b, 1664, 1024, x.hi16Zmm());
        putInts(b, 2688, 8, x.pkru());
        return b.array();
    }

    /** Copies at most {@code size} bytes of a component (a damaged image may hold more or fewer words). */
    private static void putInts(ByteBuffer b, int offset, int size, List<Integer> words) {
        for (int i = 0; i < Math.min(size / 4, words.size()) && offset + 4 * i + 4 <= b.capacity(); i++) b.putInt(offset + 4 * i, words.get(i));
    }

    private static void putLongs(ByteBuffer b, int offset, int size, List<Long> words) {
        for (int i = 0; i < Math.min(size / 8, words.size()) && offset + 8 * i + 8 <= b.capacity(); i++) b.putLong(offset + 8 * i, words.get(i));
    }
}
