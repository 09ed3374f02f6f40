package dev.stasis.memory.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import dev.stasis.checkpoint.criu.images.Core;
import dev.stasis.checkpoint.criu.images.Mm;
import dev.stasis.checkpoint.criu.images.Pagemap;
import dev.stasis.checkpoint.criu.images.Pstree;
import dev.stasis.checkpoint.criu.images.Vma;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MemorySource;
import dev.stasis.memory.PageFile;
import dev.stasis.memory.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chunk and mapping-window boundaries with a pages image bigger than the
 * scan unit: a checkpoint built here from CRIU's message types, with markers
 * placed across the read chunks, across two pagemap entries that are adjacent
 * in memory, and across two that are adjacent in the pages image only.
 */
class SyntheticSearchTest {
    private static final int PAGE = 4096;
    private static final long A = 0x7f0000000000L;           // run 1: 300 pages at A, run 2: 100 pages right after it
    private static final long C = 0x7f1000000000L;           // run 3: 50 pages elsewhere, back to back with run 2 in the image

    @AfterEach
    void restore() {
        MemorySearch.chunk = MemorySearch.CHUNK;
        MemorySearch.mapWindow = 256 << 20;
        MemorySearch.parallelMin = 64L << 20;
    }

    @ParameterizedTest
    @ValueSource(strings = {"copied", "mapped", "streamed"})
    void boundariesAreCrossedOnlyWhereMemoryIsContiguous(String mode) {
        MemorySearch.chunk = 64 * 1024 + 3;                  // odd sizes: chunks end mid-page
        MemorySearch.mapWindow = 96 * 1024 + 5;
        MemorySearch.parallelMin = 0;                        // the mapped literal windows run on several threads
        byte[] pages = new byte[450 * PAGE];
        new Random(7).nextBytes(pages);
        byte[] marker = "CROSS-THE-LINE".getBytes(StandardCharsets.US_ASCII);
        List<Long> expected = new ArrayList<>();
        // every chunk and window boundary in the first 300 pages, plus page boundaries, get a marker across them
        for (long off : new long[] {64 * 1024 + 3 - 6, 2 * (64 * 1024 + 3) - 1, 96 * 1024 + 5 - 7, 3 * (96 * 1024 + 5) - 13, 17 * PAGE - 4, 299 * PAGE + 4089}) {
            System.arraycopy(marker, 0, pages, (int) off, marker.length);
            expected.add(A + off);                          // run 1 and 2 are contiguous: offset maps straight to A
        }
        // across runs 2 and 3: adjacent in the image, 64 GiB apart in memory: must not match
        System.arraycopy(marker, 0, pages, 400 * PAGE - 5, marker.length);
        // inside run 3
        System.arraycopy(marker, 0, pages, 420 * PAGE + 100, marker.length);
        expected.add(C + 20L * PAGE + 100);

        CheckpointMemory mem = CheckpointMemory.load(source(pages, mode));
        List<Long> literal = MemorySearch.search(mem, SearchPattern.text("CROSS-THE-LINE", false), new MemorySearch.Options(Set.of(), 4, 100), null)
                .hits().stream().map(SearchHit::address).toList();
        assertThat(literal).containsExactlyInAnyOrderElementsOf(expected);
        List<Long> regex = MemorySearch.search(mem, SearchPattern.regex("CROSS-[A-Z]+-LINE", false, 64), new MemorySearch.Options(Set.of(), 4, 100), null)
                .hits().stream().map(SearchHit::address).toList();
        assertThat(regex).containsExactlyInAnyOrderElementsOf(expected);
        List<Long> fullRegex = MemorySearch.search(mem, SearchPattern.regex("[C]ROSS-THE-LIN[E]", false, 64), new MemorySearch.Options(Set.of(), 4, 100), null)
                .hits().stream().map(SearchHit::address).toList();
        assertThat(fullRegex).containsExactlyInAnyOrderElementsOf(expected);
        List<Long> folded = MemorySearch.search(mem, SearchPattern.text("cross-the-line", true), new MemorySearch.Options(Set.of(), 4, 100), null)
                .hits().stream().map(SearchHit::address).toList();
        assertThat(folded).containsAll(expected);
    }

    @org.junit.jupiter.api.Test
    void streamedAndParallelMappedHitsCarryTheSameContextAndTruncationAsRandomAccess() {
        MemorySearch.chunk = 64 * 1024 + 3;
        MemorySearch.mapWindow = 96 * 1024 + 5;                 // many windows: the mapped literal scan runs them on several threads
        MemorySearch.parallelMin = 0;
        byte[] pages = new byte[450 * PAGE];
        new Random(11).nextBytes(pages);
        byte[] marker = "CROSS-THE-LINE".getBytes(StandardCharsets.US_ASCII);
        for (long off : new long[] {3, 64 * 1024 + 3 - 6, 5 * (64 * 1024 + 3) - 20, 300 * PAGE - 3, 400 * PAGE + 2, 450 * PAGE - 14}) {
            System.arraycopy(marker, 0, pages, (int) off, marker.length);
        }
        CheckpointMemory copied = CheckpointMemory.load(source(pages, "copied"));
        for (SearchPattern p : List.of(SearchPattern.text("CROSS-THE-LINE", false), SearchPattern.text("cross-the-line", true),
                SearchPattern.regex("CROSS-[A-Z]+-LINE", false, 64),
                SearchPattern.regex("[C]ROSS-THE-LIN[E]", false, 64))) {
            for (int max : new int[] {100, 3}) {
                MemorySearch.Options o = new MemorySearch.Options(Set.of(), 200, max);
                MemorySearch.Result want = MemorySearch.search(copied, p, o, null);
                for (String mode : List.of("streamed", "mapped")) {
                    MemorySearch.Result got = MemorySearch.search(CheckpointMemory.load(source(pages, mode)), p, o, null);
                    assertThat(got.truncated()).as(mode).isEqualTo(want.truncated());
                    assertThat(got.hits()).as(mode).hasSameSizeAs(want.hits());
                    for (int i = 0; i < want.hits().size(); i++) {
                        SearchHit g = got.hits().get(i), w = want.hits().get(i);
                        assertThat(g.address()).as(mode).isEqualTo(w.address());
                        assertThat(g.match()).isEqualTo(w.match());
                        assertThat(g.before()).isEqualTo(w.before());
                        assertThat(g.after()).isEqualTo(w.after());
                    }
                }
            }
        }
    }

    /**
     * "mapped" pages files map, "copied" ones only read, "streamed" ones (a compressed archive)
     * hand out one sequential pass and refuse random reads of anything not remembered from it.
     */
    private static MemorySource source(byte[] pages, String mode) {
        Map<String, byte[]> images = new TreeMap<>();
        images.put("pstree.img", image(0x50273030, List.of(Pstree.pstree_entry.newBuilder().setPid(1).setPpid(0).setPgid(1).setSid(1).addThreads(1).build())));
        images.put("core-1.img", image(0x55053847, List.of(Core.core_entry.newBuilder().setMtype(Core.core_entry.march.X86_64)
                .setTc(Core.task_core_entry.newBuilder().setTaskState(1).setExitCode(0).setPersonality(0).setFlags(0).setBlkSigset(0).setComm("synthetic")).build())));
        Mm.mm_entry.Builder mm = Mm.mm_entry.newBuilder().setMmStartCode(0).setMmEndCode(0).setMmStartData(0).setMmEndData(0).setMmStartStack(0)
                .setMmStartBrk(0).setMmBrk(0).setMmArgStart(0).setMmArgEnd(0).setMmEnvStart(0).setMmEnvEnd(0).setExeFileId(0);
        mm.addVmas(vma(A, A + 300L * PAGE)).addVmas(vma(A + 300L * PAGE, A + 400L * PAGE)).addVmas(vma(C, C + 50L * PAGE));
        images.put("mm-1.img", image(0x57492820, List.of(mm.build())));
        List<MessageLite> pm = new ArrayList<>();
        pm.add(Pagemap.pagemap_head.newBuilder().setPagesId(1).build());
        pm.add(Pagemap.pagemap_entry.newBuilder().setVaddr(A).setCompatNrPages(0).setNrPages(300).setFlags(4).build());
        pm.add(Pagemap.pagemap_entry.newBuilder().setVaddr(A + 300L * PAGE).setCompatNrPages(0).setNrPages(100).setFlags(4).build());
        pm.add(Pagemap.pagemap_entry.newBuilder().setVaddr(C).setCompatNrPages(0).setNrPages(50).setFlags(4).build());
        images.put("pagemap-1.img", image(0x56084025, pm));
        images.put("pages-1.img", pages);
        return Fixtures.source(images, b -> mode.equals("streamed") ? new StreamOnlyPages(b) : Fixtures.pages(b, mode.equals("mapped")));
    }

    /** A pages file that streams once and serves random reads only from what the search remembered. */
    static final class StreamOnlyPages implements PageFile {
        private final byte[] b;
        private final TreeMap<Long, byte[]> kept = new TreeMap<>();

        StreamOnlyPages(byte[] b) {
            this.b = b;
        }

        @Override
        public long size() {
            return b.length;
        }

        @Override
        public ReadableByteChannel sequential() {
            return Channels.newChannel(new ByteArrayInputStream(b));
        }

        @Override
        public void remember(long position, byte[] bytes) {
            assertThat(bytes).isEqualTo(Arrays.copyOfRange(b, (int) position, (int) position + bytes.length));
            kept.put(position, bytes);
        }

        @Override
        public int read(long position, ByteBuffer dst) {
            Map.Entry<Long, byte[]> e = kept.floorEntry(position);
            int n = (int) Math.min(dst.remaining(), b.length - position);
            if (e == null || position + n > e.getKey() + e.getValue().length)
                throw new AssertionError("random read of " + n + " bytes at " + position + " outside what the stream pass remembered");
            dst.put(e.getValue(), (int) (position - e.getKey()), n);
            return n;
        }
    }

    private static Vma.vma_entry vma(long start, long end) {
        return Vma.vma_entry.newBuilder().setStart(start).setEnd(end).setPgoff(0).setShmid(0).setProt(3).setFlags(0x22).setStatus(0x201).setFd(-1).build();
    }

    /** A CRIU image: IMG_COMMON magic, the type's magic, then u32-length-prefixed messages. */
    private static byte[] image(int magic, List<? extends MessageLite> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0x54564319).putInt(magic);
        out.writeBytes(h.array());
        for (MessageLite m : entries) {
            byte[] b = m.toByteArray();
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
