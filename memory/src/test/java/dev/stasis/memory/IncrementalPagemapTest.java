package dev.stasis.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import dev.stasis.checkpoint.criu.PageRun;
import dev.stasis.checkpoint.criu.images.Core;
import dev.stasis.checkpoint.criu.images.Mm;
import dev.stasis.checkpoint.criu.images.Pagemap.pagemap_entry;
import dev.stasis.checkpoint.criu.images.Pagemap.pagemap_head;
import dev.stasis.checkpoint.criu.images.Pstree;
import dev.stasis.checkpoint.criu.images.Vma;
import dev.stasis.memory.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The dump after a pre-dump: pagemap entries written by a CRIU without the
 * {@code flags} field, some of them {@code in_parent}. CRIU's
 * {@code init_compat_pagemap_entry} (criu/pagemap.c) makes such an entry
 * PE_PARENT and not present, and its page reader advances through
 * pages-N.img only over present entries; so the pages image holds the first
 * and third runs back to back, and the third run's bytes sit right after the
 * first run's. podman's {@code --pre-checkpoint} cannot run on these machines,
 * so the images are encoded here from CRIU's own message types.
 */
class IncrementalPagemapTest {
    private static final int PAGE = PageRun.PAGE_SIZE;
    private static final long A = 0x7f0000000000L;

    @Test
    void oldFormatInParentPagesAreNeitherPresentNorCountedInThePagesImage() {
        byte[] pages = new byte[3 * PAGE];                      // run 1: 2 pages, run 3: 1 page; run 2 lives in the parent
        put(pages, 0, "FIRST-RUN");
        put(pages, 2 * PAGE, "THIRD-RUN");
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(images(pages)));
        ProcessMemory p = mem.process(1);

        assertThat(p.pagemap().runs()).extracting(PageRun::present).containsExactly(true, false, true);
        assertThat(p.pagemap().runs()).extracting(PageRun::inParent).containsExactly(false, true, false);
        assertThat(p.pagemap().runs()).extracting(PageRun::fileOffset).containsExactly(0L, -1L, 2L * PAGE);
        assertThat(p.pagemap().presentBytes()).isEqualTo(pages.length);

        byte[] third = new byte[9];
        assertThat(mem.addressSpace(1).read(A + 6L * PAGE, third, 0, third.length)).isEmpty();
        assertThat(new String(third, StandardCharsets.US_ASCII)).isEqualTo("THIRD-RUN");
        byte[] parent = new byte[16];
        assertThat(mem.addressSpace(1).read(A + 2L * PAGE, parent, 0, parent.length)).isNotEmpty();
    }

    private static Map<String, byte[]> images(byte[] pages) {
        Map<String, byte[]> images = new TreeMap<>();
        images.put("pstree.img", image(0x50273030, List.of(Pstree.pstree_entry.newBuilder().setPid(1).setPpid(0).setPgid(1).setSid(1).addThreads(1).build())));
        images.put("core-1.img", image(0x55053847, List.of(Core.core_entry.newBuilder().setMtype(Core.core_entry.march.X86_64)
                .setTc(Core.task_core_entry.newBuilder().setTaskState(1).setExitCode(0).setPersonality(0).setFlags(0).setBlkSigset(0).setComm("incremental")).build())));
        Mm.mm_entry.Builder mm = Mm.mm_entry.newBuilder().setMmStartCode(0).setMmEndCode(0).setMmStartData(0).setMmEndData(0).setMmStartStack(0)
                .setMmStartBrk(0).setMmBrk(0).setMmArgStart(0).setMmArgEnd(0).setMmEnvStart(0).setMmEnvEnd(0).setExeFileId(0);
        mm.addVmas(Vma.vma_entry.newBuilder().setStart(A).setEnd(A + 7L * PAGE).setPgoff(0).setShmid(0).setProt(3).setFlags(0x22).setStatus(0x201).setFd(-1));
        images.put("mm-1.img", image(0x57492820, List.of(mm.build())));
        // no flags field on any entry: the layout of a CRIU from before flags existed
        images.put("pagemap-1.img", image(0x56084025, List.of(
                pagemap_head.newBuilder().setPagesId(1).build(),
                pagemap_entry.newBuilder().setVaddr(A).setCompatNrPages(2).build(),
                pagemap_entry.newBuilder().setVaddr(A + 2L * PAGE).setCompatNrPages(4).setInParent(true).build(),
                pagemap_entry.newBuilder().setVaddr(A + 6L * PAGE).setCompatNrPages(1).build())));
        images.put("pages-1.img", pages);
        return images;
    }

    private static void put(byte[] pages, int at, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, pages, at, b.length);
    }

    /** A CRIU image: IMG_COMMON magic, the type's magic, then u32-length-prefixed messages. */
    private static byte[] image(int magic, List<? extends MessageLite> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0x54564319).putInt(magic).array());
        for (MessageLite m : entries) {
            byte[] b = m.toByteArray();
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
