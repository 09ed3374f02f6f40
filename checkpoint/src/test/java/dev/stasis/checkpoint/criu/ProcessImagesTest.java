package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.checkpoint.Fixtures;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The typed views of the process images (what the memory module reads: pstree, core, mm,
 * pagemap, files, memfd, remap-fpath, mountpoints) field by field against crit's decoding of the
 * same images of every bundled checkpoint.
 */
class ProcessImagesTest {
    static Stream<String> archives() {
        return Stream.of("irc-bot.tar", "irc-bot.tar.zst", "fileless-miner.tar.gz", "benign-web.tar.zst", "irc-bot.pre.tar.zst");
    }

    private static List<String> critImages(String archive) throws Exception {
        try (Stream<Path> s = Files.list(Fixtures.checkpoint("crit").resolve(archive))) {
            return s.map(p -> p.getFileName().toString().replaceFirst("\\.json$", "")).sorted().toList();
        }
    }

    private static CriuImage image(CheckpointArchive a, String name) {
        return a.images().image(name).orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("archives")
    void everyTypedFieldIsWhatCritDecoded(String archive) throws Exception {
        int checked = 0;
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint(archive))) {
            for (String name : critImages(archive)) {
                JsonNode crit = Fixtures.crit(archive, name).path("entries");
                if (name.equals("pstree.img")) {
                    checkPstree(PstreeEntry.read(image(a, name)), crit);
                } else if (name.startsWith("core-")) {
                    checkCore(CoreImage.read(image(a, name)).orElseThrow(), crit.get(0));
                } else if (name.startsWith("mm-")) {
                    checkMm(MmImage.read(image(a, name)).orElseThrow(), crit.get(0));
                } else if (name.startsWith("pagemap-")) {
                    checkPagemap(PagemapImage.read(image(a, name)), crit);
                } else if (name.equals("files.img")) {
                    checkFiles(FileEntries.files(image(a, name)), crit);
                } else if (name.equals("memfd.img")) {
                    List<FileEntries.MemfdInode> inodes = FileEntries.memfdInodes(image(a, name));
                    assertThat(inodes).hasSize(crit.size());
                    for (int i = 0; i < crit.size(); i++) {
                        JsonNode c = crit.get(i);
                        assertThat(inodes.get(i)).isEqualTo(new FileEntries.MemfdInode(c.get("inode_id").asLong(), c.get("name").asText(),
                                c.get("size").asLong(), c.get("shmid").asLong()));
                    }
                } else if (name.equals("remap-fpath.img")) {
                    List<FileEntries.Remap> remaps = FileEntries.remaps(image(a, name));
                    assertThat(remaps).hasSize(crit.size());
                    for (int i = 0; i < crit.size(); i++) {
                        JsonNode c = crit.get(i);
                        assertThat(remaps.get(i)).isEqualTo(new FileEntries.Remap(c.get("orig_id").asLong(), c.get("remap_id").asLong(),
                                c.path("remap_type").asText("LINKED")));
                    }
                } else if (name.startsWith("mountpoints-")) {
                    List<MountPoint> mounts = MountPoint.read(image(a, name));
                    assertThat(mounts).hasSize(crit.size());
                    for (int i = 0; i < crit.size(); i++) {
                        JsonNode c = crit.get(i);
                        assertThat(mounts.get(i)).isEqualTo(new MountPoint(c.get("mnt_id").asInt(), c.get("parent_mnt_id").asInt(),
                                c.get("mountpoint").asText(), c.get("root").asText(), c.get("root_dev").asLong(), c.get("fstype").asInt()));
                    }
                } else {
                    continue;
                }
                checked++;
            }
        }
        assertThat(checked).as("images compared").isGreaterThan(5);
    }

    private static void checkPstree(List<PstreeEntry> tasks, JsonNode crit) {
        assertThat(tasks).hasSize(crit.size());
        for (int i = 0; i < crit.size(); i++) {
            JsonNode c = crit.get(i);
            List<Integer> threads = new ArrayList<>();
            c.path("threads").forEach(t -> threads.add(t.asInt()));
            if (threads.isEmpty()) threads.add(c.get("pid").asInt());
            assertThat(tasks.get(i)).isEqualTo(new PstreeEntry(c.get("pid").asInt(), c.get("ppid").asInt(), c.get("pgid").asInt(),
                    c.get("sid").asInt(), threads));
        }
    }

    private static void checkCore(CoreImage core, JsonNode c) {
        assertThat(core.machine()).isEqualTo(c.get("mtype").asText());
        if (c.has("tc")) {
            JsonNode tc = c.get("tc");
            assertThat(core.task()).isEqualTo(new CoreImage.Task(tc.get("comm").asText(), tc.get("task_state").asInt(),
                    tc.get("exit_code").asInt(), tc.get("flags").asLong(), tc.get("blk_sigset").asLong()));
        } else {
            assertThat(core.task()).isNull();
        }
        JsonNode tc = c.get("thread_core");
        if (tc == null) {
            assertThat(core.thread()).isNull();
        } else {
            checkThread(core.thread(), tc);
        }
        if (!c.has("thread_info")) {
            assertThat(core.x86()).isNull();
            return;
        }
        checkX86(core.x86(), c.get("thread_info"));
    }

    private static void checkThread(CoreImage.ThreadState thread, JsonNode tc) {
        assertThat(thread.schedNice()).isEqualTo(tc.has("sched_nice") ? tc.get("sched_nice").asInt() : null);
        assertThat(thread.comm()).isEqualTo(tc.has("comm") ? tc.get("comm").asText() : null);
        assertThat(thread.blockedSignals()).isEqualTo(tc.has("blk_sigset") ? tc.get("blk_sigset").asLong() : null);
        assertThat(thread.uid()).isEqualTo(tc.has("creds") ? tc.get("creds").get("uid").asLong() : null);
        assertThat(thread.gid()).isEqualTo(tc.has("creds") ? tc.get("creds").get("gid").asLong() : null);
    }

    private static void checkX86(X86Registers x86, JsonNode info) {
        JsonNode gp = info.get("gpregs");
        List<Long> want = new ArrayList<>();
        for (String r : List.of("r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di",
                "orig_ax", "ip", "cs", "flags", "sp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"))
            want.add(Long.parseUnsignedLong(gp.get(r).asText()));
        assertThat(x86.general()).isEqualTo(want);
        JsonNode fp = info.get("fpregs");
        X86Registers.FpRegisters f = x86.fp();
        assertThat(List.of(f.cwd(), f.swd(), f.twd(), f.fop(), f.mxcsr(), f.mxcsrMask()))
                .isEqualTo(List.of(fp.get("cwd").asInt(), fp.get("swd").asInt(), fp.get("twd").asInt(), fp.get("fop").asInt(),
                        fp.get("mxcsr").asInt(), fp.get("mxcsr_mask").asInt()));
        assertThat(f.rip()).isEqualTo(Long.parseUnsignedLong(fp.get("rip").asText()));
        assertThat(f.stSpace()).isEqualTo(u32s(fp.get("st_space")));
        assertThat(f.xmmSpace()).isEqualTo(u32s(fp.get("xmm_space")));
        JsonNode x = fp.get("xsave");
        assertThat(f.xsave().xstateBv()).isEqualTo(x.get("xstate_bv").asLong());
        assertThat(f.xsave().ymmh()).isEqualTo(u32s(x.path("ymmh_space")));
        assertThat(f.xsave().opmask()).isEqualTo(u64s(x.path("opmask_reg")));
        assertThat(f.xsave().zmmUpper()).isEqualTo(u64s(x.path("zmm_upper")));
        assertThat(f.xsave().hi16Zmm()).isEqualTo(u64s(x.path("hi16_zmm")));
        assertThat(f.xsave().pkru()).isEqualTo(u32s(x.path("pkru")));
    }

    private static void checkMm(MmImage mm, JsonNode c) {
        assertThat(List.of(mm.startCode(), mm.endCode(), mm.startData(), mm.endData(), mm.startStack(), mm.startBrk(), mm.brk(),
                mm.argStart(), mm.argEnd(), mm.envStart(), mm.envEnd(), mm.exeFileId()))
                .isEqualTo(List.of(c.get("mm_start_code").asLong(), c.get("mm_end_code").asLong(), c.get("mm_start_data").asLong(),
                        c.get("mm_end_data").asLong(), c.get("mm_start_stack").asLong(), c.get("mm_start_brk").asLong(),
                        c.get("mm_brk").asLong(), c.get("mm_arg_start").asLong(), c.get("mm_arg_end").asLong(),
                        c.get("mm_env_start").asLong(), c.get("mm_env_end").asLong(), c.get("exe_file_id").asLong()));
        assertThat(mm.savedAuxv()).isEqualTo(u64s(c.get("mm_saved_auxv")));
        assertThat(mm.vmas()).hasSize(c.get("vmas").size());
        for (int i = 0; i < mm.vmas().size(); i++) {
            JsonNode v = c.get("vmas").get(i);
            assertThat(mm.vmas().get(i)).isEqualTo(new MmImage.VmaEntry(Long.parseUnsignedLong(v.get("start").asText()),
                    Long.parseUnsignedLong(v.get("end").asText()), v.get("pgoff").asLong(), v.get("shmid").asLong(),
                    v.get("prot").asInt(), v.get("flags").asInt(), v.get("status").asLong()));
        }
    }

    private static void checkPagemap(PagemapImage pm, JsonNode crit) {
        assertThat(pm.pagesId()).isEqualTo(crit.get(0).get("pages_id").asInt());
        assertThat(pm.runs()).hasSize(crit.size() - 1);
        long offset = 0;
        for (int i = 1; i < crit.size(); i++) {
            JsonNode e = crit.get(i);
            PageRun r = pm.runs().get(i - 1);
            long pages = e.path("nr_pages").asLong(0) != 0 ? e.get("nr_pages").asLong() : e.get("compat_nr_pages").asLong();
            assertThat(r.vaddr()).isEqualTo(Long.parseUnsignedLong(e.get("vaddr").asText()));
            assertThat(r.pages()).isEqualTo(pages);
            assertThat(r.flags()).isEqualTo(e.get("flags").asInt());
            // CRIU's page reader: present pages lie back to back in the pages image, in entry order
            boolean present = (e.get("flags").asInt() & PageRun.PRESENT) != 0;
            assertThat(r.fileOffset()).isEqualTo(present ? offset : -1);
            if (present) offset += pages * PageRun.PAGE_SIZE;
        }
    }

    private static void checkFiles(List<FileEntries.FileObject> files, JsonNode crit) {
        List<FileEntries.FileObject> want = new ArrayList<>();
        for (JsonNode f : crit) {
            long id = f.get("id").asLong();
            if (f.has("reg")) {
                JsonNode r = f.get("reg");
                want.add(new FileEntries.Regular(id, r.get("name").asText(), r.has("size") ? r.get("size").asLong() : null,
                        r.has("mnt_id") ? r.get("mnt_id").asInt() : null));
            }
            if (f.has("memfd")) want.add(new FileEntries.MemfdFile(id, f.get("memfd").get("inode_id").asLong()));
        }
        assertThat(files).isEqualTo(want);
    }

    @Test
    void aPagemapWithoutHeadIsAFormatError() {
        CriuImage empty = new CriuImage(ImageType.PAGEMAP, List.of());
        assertThatThrownBy(() -> PagemapImage.read(empty)).isInstanceOf(ImageFormatException.class).hasMessage("no pagemap_head");
    }

    private static List<Integer> u32s(JsonNode a) {
        List<Integer> out = new ArrayList<>();
        a.forEach(n -> out.add((int) n.asLong()));
        return out;
    }

    private static List<Long> u64s(JsonNode a) {
        List<Long> out = new ArrayList<>();
        a.forEach(n -> out.add(Long.parseUnsignedLong(n.asText())));
        return out;
    }
}
