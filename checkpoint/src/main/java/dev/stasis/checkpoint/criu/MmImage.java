package dev.stasis.checkpoint.criu;

import dev.stasis.checkpoint.criu.images.Mm;
import dev.stasis.checkpoint.criu.images.Vma;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process's {@code mm-<pid>.img}: the address-space layout the kernel keeps in its
 * {@code mm_struct} (code, data, heap, stack, argument and environment areas), the executable's
 * file id in {@code files.img}, the saved auxiliary vector and the VMAs in image order.
 *
 * @param savedAuxv the auxiliary vector as saved: key, value pairs, possibly followed by zeros
 */
public record MmImage(long startCode, long endCode, long startData, long endData, long startStack, long startBrk, long brk,
                      long argStart, long argEnd, long envStart, long envEnd, long exeFileId, List<Long> savedAuxv,
                      List<VmaEntry> vmas) {
    public MmImage {
        savedAuxv = List.copyOf(savedAuxv);
        vmas = List.copyOf(vmas);
    }

    /**
     * One {@code vma_entry}. {@code shmid} names what backs the area: the file id for a file or
     * memfd mapping, the shared-memory object for a shared anonymous one, the SysV segment's id.
     * {@code status} holds CRIU's {@code VMA_*} bits (criu/include/image.h), unsigned.
     */
    public record VmaEntry(long start, long end, long pgoff, long shmid, int prot, int flags, long status) {}

    /** The first entry of a decoded mm image, or empty when it has none. */
    public static Optional<MmImage> read(CriuImage mm) {
        if (mm.entries().isEmpty() || !(mm.entries().getFirst().message() instanceof Mm.mm_entry m)) return Optional.empty();
        List<VmaEntry> vmas = new ArrayList<>(m.getVmasCount());
        for (Vma.vma_entry v : m.getVmasList())
            vmas.add(new VmaEntry(v.getStart(), v.getEnd(), v.getPgoff(), v.getShmid(), v.getProt(), v.getFlags(), Integer.toUnsignedLong(v.getStatus())));
        return Optional.of(new MmImage(m.getMmStartCode(), m.getMmEndCode(), m.getMmStartData(), m.getMmEndData(), m.getMmStartStack(),
                m.getMmStartBrk(), m.getMmBrk(), m.getMmArgStart(), m.getMmArgEnd(), m.getMmEnvStart(), m.getMmEnvEnd(),
                Integer.toUnsignedLong(m.getExeFileId()), m.getMmSavedAuxvList(), vmas));
    }
}
