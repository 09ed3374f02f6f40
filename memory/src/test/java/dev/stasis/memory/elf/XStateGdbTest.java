package dev.stasis.memory.elf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.checkpoint.criu.X86Registers.XSave;
import dev.stasis.memory.ArchiveMemorySource;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.ProcessMemory;
import dev.stasis.memory.testing.CritOracle;
import dev.stasis.memory.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NT_X86_XSTATE judged by gdb: the AVX registers of a lab program that put known values
 * in them, and the AVX-512 state of the bundled checkpoints as crit decoded it.
 */
class XStateGdbTest {
    @BeforeAll
    static void needGdb() {
        Gdb.assumeInstalled(Gdb.GDB);
    }

    @Test
    void gdbShowsTheYmmRegistersEachLabThreadLoaded(@TempDir Path dir) throws Exception {
        Path core = dir.resolve("core.1");
        try (ArchiveMemorySource src = ArchiveMemorySource.open(Lab.archive())) {
            assertThat(CoreDumpWriter.write(CheckpointMemory.load(src), Lab.PID, core).threads()).isEqualTo(2);
        }
        // gdb numbers the threads in note order: 1 = LWP 1 (the process), 2 = LWP 7
        int[] tids = {Lab.PID, Lab.THREAD};
        List<String> cmds = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            cmds.add("thread " + (t + 1));
            for (int r = 0; r < 16; r++) cmds.add("p/x $ymm" + r + ".v8_int32");
        }
        String out = Gdb.run(core, cmds.toArray(String[]::new));
        assertThat(out).contains("[Switching to thread 2 (LWP 7)]");
        List<List<Long>> ymm = Gdb.vectors(out);
        assertThat(ymm).hasSize(32);
        for (int t = 0; t < 2; t++) {
            JsonNode fp = new ObjectMapper().readTree(Lab.file("core-" + tids[t] + ".img.json").toFile())
                    .get("entries").get(0).get("thread_info").get("fpregs");
            for (int r = 0; r < 16; r++) {
                for (int k = 0; k < 8; k++) {
                    long seen = ymm.get(16 * t + r).get(k);
                    // ground truth twice: the program's formula, and crit's xmm (low lanes) / ymmh (high lanes)
                    assertThat(seen).as("tid %d ymm%d lane %d", tids[t], r, k).isEqualTo(Lab.lane(tids[t], r, k));
                    JsonNode crit = k < 4 ? fp.get("xmm_space").get(4 * r + k) : fp.get("xsave").get("ymmh_space").get(4 * r + k - 4);
                    assertThat(seen).isEqualTo(crit.asLong());
                }
            }
        }
    }

    @Test
    void gdbShowsTheAvx512StateOfEveryBundledProcessAsCritDecodedIt(@TempDir Path dir) throws Exception {
        int checked = 0, expected = 0;
        for (String archive : List.of("fileless-miner.tar.gz", "benign-web.tar.zst", "irc-bot.tar.zst")) {
            try (var crit = java.nio.file.Files.list(Fixtures.crit(archive, "pstree.img").getParent())) {
                expected += (int) crit.filter(f -> f.getFileName().toString().startsWith("mm-")).count();
            }
            CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(archive));
            for (ProcessMemory p : mem.processes()) {
                if (!p.hasMemory()) continue;
                Path core = dir.resolve(archive + ".core." + p.pid());
                CoreDumpWriter.write(mem, p.pid(), core);
                JsonNode fp = CritOracle.crit(archive, "core-" + p.pid() + ".img").get("entries").get(0).get("thread_info").get("fpregs");
                JsonNode x = fp.get("xsave");
                assertThat(x.get("xstate_bv").asLong()).as("fixtures carry live AVX-512 state").isEqualTo(0xa2);

                List<List<Long>> v = Gdb.vectors(Gdb.run(core, "p/x {$k0, $k1, $k2, $k3, $k4, $k5, $k6, $k7}",
                        "p/x $zmm16.v8_int64", "p/x $zmm17.v8_int64", "p/x $zmm31.v8_int64", "p/x $xmm1.v4_int32", "p/x $ymm1.v8_int32"));
                assertThat(v).as(archive + " pid " + p.pid()).hasSize(6);
                assertThat(v.get(0)).isEqualTo(longs(x.get("opmask_reg"), 0, 8));
                assertThat(v.get(1)).isEqualTo(longs(x.get("hi16_zmm"), 0, 8));
                assertThat(v.get(2)).isEqualTo(longs(x.get("hi16_zmm"), 8, 8));
                assertThat(v.get(3)).isEqualTo(longs(x.get("hi16_zmm"), 120, 8));
                assertThat(v.get(4)).isEqualTo(u32s(fp.get("xmm_space"), 4, 4));
                // xstate_bv 0xa2 has no AVX bit: the upper halves are in their initial (zero) state
                List<Long> ymm1 = new ArrayList<>(u32s(fp.get("xmm_space"), 4, 4));
                ymm1.addAll(Collections.nCopies(4, 0L));
                assertThat(v.get(5)).isEqualTo(ymm1);
                checked++;
            }
        }
        assertThat(checked).as("one per process crit found an mm image for").isEqualTo(expected).isEqualTo(15);
    }

    @Test
    void everyThreadGetsAnXStateNoteOwnedByLinux(@TempDir Path dir) throws Exception {
        Gdb.assumeInstalled(Gdb.READELF);
        Path avx512 = dir.resolve("core.17"), avx = dir.resolve("core.1");
        CoreDumpWriter.write(CheckpointMemory.load(Fixtures.source("irc-bot.tar.zst")), 17, avx512);
        try (ArchiveMemorySource src = ArchiveMemorySource.open(Lab.archive())) {
            CoreDumpWriter.write(CheckpointMemory.load(src), Lab.PID, avx);
        }
        // sizes gdb expects (X86_XSTATE_SIZE): 0xa80 = 2688 for AVX-512 without PKRU, 0x340 = 832 for AVX
        assertThat(xstateNotes(Gdb.readelfNotes(avx512), "0x00000a80")).isEqualTo(1);
        String lab = Gdb.readelfNotes(avx);
        assertThat(xstateNotes(lab, "0x00000340")).isEqualTo(2);
        assertThat(lab.lines().filter(l -> l.contains("NT_PRSTATUS")).count()).isEqualTo(2);
    }

    private static long xstateNotes(String readelf, String size) {
        return readelf.lines().filter(l -> l.matches("\\s*LINUX\\s+" + size + "\\s+NT_X86_XSTATE.*")).count();
    }

    @Test
    void theFeatureMaskAndSizeFollowTheComponentsCriuSaved() {
        // sizes as gdb's X86_XSTATE_SIZE(xcr0) defines them: SSE 576, AVX 832, MPX 1088, AVX-512 2688, PKRU 2696
        List<Integer> ymmh = Collections.nCopies(64, 0);
        List<Long> eight = Collections.nCopies(8, 0L);
        XSave none = new XSave(3, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        XSave avx = new XSave(3, ymmh, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        XSave mpx = new XSave(3, ymmh, eight, eight, List.of(), List.of(), List.of(), List.of());
        XSave avx512 = new XSave(3, ymmh, List.of(), List.of(), eight, Collections.nCopies(64, 0L), Collections.nCopies(128, 0L), List.of());
        XSave pkru = new XSave(0xffff, ymmh, List.of(), List.of(), eight, Collections.nCopies(64, 0L), Collections.nCopies(128, 0L),
                List.of(0x55555554, 0));
        assertThat(XStateNote.xcr0(none)).isEqualTo(0x3);
        assertThat(XStateNote.size(XStateNote.xcr0(none))).isEqualTo(576);
        assertThat(XStateNote.xcr0(avx)).isEqualTo(0x7);
        assertThat(XStateNote.size(XStateNote.xcr0(avx))).isEqualTo(832);
        assertThat(XStateNote.xcr0(mpx)).isEqualTo(0x1f);
        assertThat(XStateNote.size(XStateNote.xcr0(mpx))).isEqualTo(1088);
        assertThat(XStateNote.xcr0(avx512)).isEqualTo(0xe7);
        assertThat(XStateNote.size(XStateNote.xcr0(avx512))).isEqualTo(2688);
        assertThat(XStateNote.xcr0(pkru)).isEqualTo(0x2e7);
        assertThat(XStateNote.size(XStateNote.xcr0(pkru))).isEqualTo(2696);

        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(XStateNote.of(pkru, new byte[512])).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(b.capacity()).isEqualTo(2696);
        assertThat(b.getLong(464)).as("XCR0 where Linux puts it for ptrace and cores").isEqualTo(0x2e7);
        assertThat(b.getLong(512)).as("xstate_bv keeps only saved features").isEqualTo(0x2e7);
        assertThat(b.getLong(520)).as("xcomp_bv: standard format").isZero();
        assertThat(b.getInt(2688)).isEqualTo(0x55555554);
    }

    private static List<Long> longs(JsonNode array, int from, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) out.add(Long.parseUnsignedLong(array.get(i).asText()));
        return out;
    }

    private static List<Long> u32s(JsonNode array, int from, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) out.add(array.get(i).asLong() & 0xffffffffL);
        return out;
    }
}
