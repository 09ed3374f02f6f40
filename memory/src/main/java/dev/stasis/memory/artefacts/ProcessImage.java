package dev.stasis.memory.artefacts;

import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.Vma;
import java.util.ArrayList;
import java.util.List;

/**
 * The writable private memory of one process (heap, anonymous mappings, the
 * data and bss of its binaries), read once into the heap so pointers can be
 * followed: where readline keeps its history. Pages the checkpoint lacks read
 * as zeros, which the structure checks reject.
 */
final class ProcessImage {
    /** Above this a process is not loaded for structure walking (the history of a shell is in its first megabytes). */
    static final long MAX_BYTES = 256L << 20;
    private static final int PROT_READ = 1, PROT_WRITE = 2;

    record Region(long start, byte[] bytes, Vma vma) {
        long end() {
            return start + bytes.length;
        }
    }

    private final List<Region> regions;

    private ProcessImage(List<Region> regions) {
        this.regions = regions;
    }

    /** The image, or null when the process's writable memory is bigger than {@link #MAX_BYTES}. */
    static ProcessImage load(AddressSpace space) {
        ProcessMemory p = space.process();
        List<Vma> vmas = new ArrayList<>();
        long total = 0;
        for (Vma v : p.vmas()) {
            if ((v.prot() & (PROT_READ | PROT_WRITE)) != (PROT_READ | PROT_WRITE) || v.shared() || v.is(Vma.AREA_VSYSCALL)) continue;
            if (v.is(Vma.AREA_STACK) || v.name().equals("[stack]")) continue;     // history lives in the heap; the stack is scanned for credentials elsewhere
            vmas.add(v);
            total += v.size();
        }
        if (total > MAX_BYTES) return null;
        List<Region> regions = new ArrayList<>();
        for (Vma v : vmas) {
            byte[] b = new byte[(int) v.size()];
            space.read(v.start(), b, 0, b.length);
            regions.add(new Region(v.start(), b, v));
        }
        return new ProcessImage(regions);
    }

    List<Region> regions() {
        return regions;
    }

    Region regionOf(long addr) {
        for (Region r : regions) if (Long.compareUnsigned(addr, r.start) >= 0 && Long.compareUnsigned(addr, r.end()) < 0) return r;
        return null;
    }

    /** The 8-byte little-endian word at {@code addr}, or null when it is not in the image. */
    Long word(long addr) {
        Region r = regionOf(addr);
        if (r == null || addr + 8 > r.end()) return null;
        return word(r.bytes, (int) (addr - r.start));
    }

    static long word(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24
                | (b[off + 4] & 0xffL) << 32 | (b[off + 5] & 0xffL) << 40 | (b[off + 6] & 0xffL) << 48 | (b[off + 7] & 0xffL) << 56;
    }

    /** The NUL-terminated bytes at {@code addr} (without the NUL), or null when unterminated within {@code max} or outside the image. */
    byte[] cString(long addr, int max) {
        Region r = regionOf(addr);
        if (r == null) return null;
        int off = (int) (addr - r.start);
        for (int i = off; i < r.bytes.length && i - off <= max; i++) {
            if (r.bytes[i] == 0) return java.util.Arrays.copyOfRange(r.bytes, off, i);
        }
        return null;
    }
}
