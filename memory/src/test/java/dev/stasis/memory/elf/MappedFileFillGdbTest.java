package dev.stasis.memory.elf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.container.EmbeddedFiles;
import dev.stasis.memory.ArchiveMemorySource;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.MappedFiles;
import dev.stasis.memory.Vma;
import dev.stasis.memory.testing.CritOracle;
import dev.stasis.memory.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File pages CRIU did not dump, filled from the file's copy inside the checkpoint and read
 * back by gdb: a deleted binary (ghost file, compared with crit's decoding), a memfd (compared
 * with what {@code stasis extract} pulls out) and a binary the container wrote (compared with
 * the rootfs-diff.tar member read by commons-compress). Library pages come from the image's
 * layers, which the checkpoint lacks: they must stay zero even though this machine has a libc.
 */
class MappedFileFillGdbTest {
    private static final String MINER = "fileless-miner.tar.gz";

    @BeforeAll
    static void needGdb() {
        Gdb.assumeInstalled(Gdb.GDB);
    }

    @Test
    void theDeletedKworkerdsMappingsReadAsTheGhostFileCritDecoded(@TempDir Path dir) throws Exception {
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(MINER));
        Path core = dir.resolve("core.18");
        CoreDumpWriter.Result r = CoreDumpWriter.write(mem, 18, core);

        byte[] ghost = ghostFromCrit("ghost-file-1.img");
        assertThat(ghost).hasSize(43888);
        List<Vma> mapped = mem.process(18).vmas().stream().filter(v -> v.name().equals("/var/tmp/.kworkerds (deleted)")).toList();
        assertThat(mapped).hasSize(5);
        assertThat(Gdb.run(core, "x/4c 0x" + Long.toHexString(mapped.get(0).start())))
                .contains("127 '\\177'").contains("69 'E'").contains("76 'L'").contains("70 'F'");
        TreeMap<Long, byte[]> present = CritOracle.presentPages(MINER, Fixtures.images(MINER), 18);
        for (Vma v : mapped) assertSameBytes(core, v, ghost, present);

        // the three read-only/text VMAs had pages CRIU did not dump; the core says where they came from
        List<CoreDumpWriter.VmaSource> filled = r.vmas().stream().filter(s -> s.filePages() > 0).toList();
        assertThat(filled).extracting(CoreDumpWriter.VmaSource::fileOrigin).containsOnly("ghost-file-1.img");
        assertThat(filled).extracting(CoreDumpWriter.VmaSource::start).containsExactly(mapped.get(0).start(), mapped.get(1).start(), mapped.get(2).start());
        assertThat(r.filePages()).isEqualTo(2 + 4 + 2);
    }

    @Test
    void theMemfdMinersMappingsReadAsWhatExtractPullsOut(@TempDir Path dir) throws Exception {
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(MINER));
        Path core = dir.resolve("core.23");
        CoreDumpWriter.write(mem, 23, core);
        byte[] memfd;
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint(MINER))) {
            EmbeddedFiles embedded = new EmbeddedFiles(a, new ArrayList<>());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            embedded.copy(embedded.find("/memfd:kworkerds").orElseThrow(), out);
            memfd = out.toByteArray();
        }
        List<Vma> mapped = mem.process(23).vmas().stream().filter(v -> v.name().equals("/memfd:kworkerds (deleted)")).toList();
        assertThat(mapped).hasSize(5);
        assertThat(Arrays.copyOf(memfd, 4)).containsExactly(0x7f, 'E', 'L', 'F');
        TreeMap<Long, byte[]> present = CritOracle.presentPages(MINER, Fixtures.images(MINER), 23);
        for (Vma v : mapped) assertSameBytes(core, v, memfd, present);
    }

    @Test
    void theLabBinaryComesFromTheRootfsDiffOnlyWhenTheArchiveIsGiven(@TempDir Path dir) throws Exception {
        byte[] binary = tarMember(new java.io.ByteArrayInputStream(archiveMember(Lab.archive(), "rootfs-diff.tar")), "opt/avxlab");
        Path withDiff = dir.resolve("core.with"), without = dir.resolve("core.without");
        CoreDumpWriter.Result r;
        List<Vma> mapped;
        try (CheckpointArchive a = CheckpointArchive.open(Lab.archive()); ArchiveMemorySource src = ArchiveMemorySource.over(a)) {
            CheckpointMemory mem = CheckpointMemory.load(src);
            mapped = mem.process(Lab.PID).vmas().stream().filter(v -> v.name().equals("/opt/avxlab")).toList();
            r = CoreDumpWriter.write(mem, Lab.PID, withDiff, MappedFiles.of(mem, a));
            CoreDumpWriter.Result bare = CoreDumpWriter.write(mem, Lab.PID, without);
            assertThat(bare.filePages()).isZero();
            assertThat(bare.vmas()).filteredOn(s -> s.name().equals("/opt/avxlab") && s.zeroPages() > 0)
                    .extracting(CoreDumpWriter.VmaSource::zeroReason).containsOnly("not in the checkpoint's images (rootfs-diff.tar and saved tmpfs mounts not consulted)");
        }
        assertThat(r.filePages()).isPositive();
        assertThat(r.vmas()).filteredOn(s -> s.filePages() > 0 && s.name().startsWith("/opt/"))
                .extracting(CoreDumpWriter.VmaSource::fileOrigin).containsOnly("rootfs-diff.tar:/opt/avxlab");
        assertThat(r.vmas()).filteredOn(s -> s.name().equals("/opt/avxlab")).allSatisfy(s -> assertThat(s.zeroPages()).isZero());
        TreeMap<Long, byte[]> present = presentPages(new ObjectMapper().readTree(Lab.file("pagemap-1.img.json").toFile()),
                archiveMember(Lab.archive(), "checkpoint/pages-1.img"));
        for (Vma v : mapped) assertSameBytes(withDiff, v, binary, present);
        assertThat(Gdb.run(without, "x/4xb 0x" + Long.toHexString(mapped.get(0).start()))).contains("0x00\t0x00\t0x00\t0x00");
    }

    @Test
    void filesOnTmpfsMountsTheCheckpointSavedComeFromThoseTars(@TempDir Path dir) throws Exception {
        Path core = dir.resolve("core.1");
        CoreDumpWriter.Result r;
        Vma shm, dev;
        try (CheckpointArchive a = CheckpointArchive.open(Lab.archive()); ArchiveMemorySource src = ArchiveMemorySource.over(a)) {
            CheckpointMemory mem = CheckpointMemory.load(src);
            shm = mem.process(Lab.PID).vmas().stream().filter(v -> v.name().equals("/dev/shm/stasis-lab")).findFirst().orElseThrow();
            dev = mem.process(Lab.PID).vmas().stream().filter(v -> v.name().equals("/dev/stasis-lab")).findFirst().orElseThrow();
            r = CoreDumpWriter.write(mem, Lab.PID, core, MappedFiles.of(mem, a));
        }
        assertThat(shm.shared()).isTrue();
        assertThat(r.vmas()).filteredOn(s -> s.start() == shm.start()).singleElement()
                .satisfies(s -> assertThat(s.fileOrigin()).isEqualTo("devshm-checkpoint.tar:/stasis-lab"))
                .satisfies(s -> assertThat(s.filePages()).isEqualTo(4));
        assertThat(r.vmas()).filteredOn(s -> s.start() == dev.start()).singleElement()
                .satisfies(s -> assertThat(s.fileOrigin()).isEqualTo("tmpfs-dev-44.tar.gz.img:/stasis-lab"))
                .satisfies(s -> assertThat(s.filePages()).isEqualTo(4));

        // ground truth twice: the lab program's pattern, and the tars' members read by commons-compress
        byte[] shmFile = tarMember(new java.io.ByteArrayInputStream(archiveMember(Lab.archive(), "devshm-checkpoint.tar")), "stasis-lab");
        byte[] devFile = tarMember(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(
                archiveMember(Lab.archive(), "checkpoint/tmpfs-dev-44.tar.gz.img"))), "stasis-lab");
        assertThat(shmFile).isEqualTo(labPattern("SHM"));
        assertThat(devFile).isEqualTo(labPattern("DEV"));
        TreeMap<Long, byte[]> present = presentPages(new ObjectMapper().readTree(Lab.file("pagemap-1.img.json").toFile()),
                archiveMember(Lab.archive(), "checkpoint/pages-1.img"));
        assertSameBytes(core, shm, shmFile, present);
        assertSameBytes(core, dev, devFile, present);
        assertThat(Gdb.run(core, "x/s 0x" + Long.toHexString(shm.start() + 2 * 4096 + 255 * 16))).contains("\"SHM p2 l255-----SHM p3 l000-----");
    }

    /** What avxlab.c writes: 3 pages + 100 bytes, 16-byte lines "TAG pP lLLL-----". */
    private static byte[] labPattern(String tag) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int p = 0; p < 4; p++)
            for (int l = 0; l < 256; l++) b.writeBytes(String.format("%s p%d l%03d-----", tag, p, l).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return Arrays.copyOf(b.toByteArray(), 3 * 4096 + 100);
    }

    @Test
    void libraryPagesStayZeroWithTheReasonAndAreNeverReadFromThisMachine(@TempDir Path dir) throws Exception {
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(MINER));
        Path core = dir.resolve("core.18");
        CoreDumpWriter.Result r = CoreDumpWriter.write(mem, 18, core);
        Vma libc = mem.process(18).vmas().stream().filter(v -> v.name().endsWith("/libc.so.6")).findFirst().orElseThrow();
        assertThat(Files.exists(Path.of(libc.name()))).as("this machine has its own " + libc.name()).isTrue();
        assertThat(Gdb.run(core, "x/4xb 0x" + Long.toHexString(libc.start()))).contains("0x00\t0x00\t0x00\t0x00");
        CoreDumpWriter.VmaSource s = r.vmas().stream().filter(v -> v.start() == libc.start()).findFirst().orElseThrow();
        assertThat(s.zeroPages()).isEqualTo(libc.pages());
        assertThat(s.zeroReason()).isEqualTo("not in the checkpoint's images (rootfs-diff.tar and saved tmpfs mounts not consulted)");
        assertThat(s.describe()).startsWith(Long.toHexString(libc.start()) + "-").contains("left zero");
    }

    @Test
    void readelfSeesTheStasisNoteNamingTheSources(@TempDir Path dir) throws Exception {
        Gdb.assumeInstalled(Gdb.READELF);
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(MINER));
        Path core = dir.resolve("core.18");
        CoreDumpWriter.write(mem, 18, core);
        assertThat(Gdb.readelfNotes(core)).containsPattern("STASIS\\s+0x[0-9a-f]+\\s+Unknown note type: \\(0x53544153\\)");
        String text = new String(Files.readAllBytes(core), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains("562a4ae2a000-562a4ae2c000 r--p /var/tmp/.kworkerds (deleted): 0 page(s) from the checkpoint's page images, 2 from ghost-file-1.img\n");
    }

    /**
     * gdb's reading of every page of the VMA equals, where crit's pagemap says the process's own
     * page was dumped, that page, and elsewhere the file's bytes at the VMA's offset (zeros past
     * the file's end). 64 bytes per page, at a different offset in each.
     */
    private static void assertSameBytes(Path core, Vma v, byte[] file, TreeMap<Long, byte[]> present) throws IOException, InterruptedException {
        List<String> cmds = new ArrayList<>();
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        int fromFile = 0;
        for (long a = v.start(); a < v.end(); a += 4096) {
            int in = (int) (0x40 * ((a >> 12) % 60));
            cmds.add("x/64xb 0x" + Long.toHexString(a + in));
            byte[] own = present.get(a);
            long off = v.pgoff() + (a - v.start()) + in;
            for (int i = 0; i < 64; i++) want.write(own != null ? own[in + i] : off + i < file.length ? file[(int) (off + i)] : 0);
            if (own == null) fromFile++;
        }
        byte[] seen = Gdb.bytes(Gdb.run(core, cmds.toArray(String[]::new)));
        assertThat(seen).as(v.range() + " " + v.name() + " (" + fromFile + " page(s) not dumped by CRIU)")
                .hasSize(64 * (int) v.pages()).isEqualTo(want.toByteArray());
    }

    /** Dumped pages of a process from crit's pagemap decoding and the raw pages image (CritOracle's rule, for the lab archive). */
    private static TreeMap<Long, byte[]> presentPages(JsonNode pagemap, byte[] pages) {
        TreeMap<Long, byte[]> out = new TreeMap<>(Long::compareUnsigned);
        JsonNode e = pagemap.get("entries");
        long off = 0;
        for (int i = 1; i < e.size(); i++) {
            int flags = e.get(i).has("flags") ? e.get(i).get("flags").asInt() : 4;
            if ((flags & 4) == 0) continue;
            for (long k = 0; k < e.get(i).get("nr_pages").asLong(); k++, off += 4096)
                out.put(e.get(i).get("vaddr").asLong() + k * 4096, Arrays.copyOfRange(pages, (int) off, (int) off + 4096));
        }
        return out;
    }

    /** crit's decoding of a ghost image: the extra payloads of its chunk entries at their offsets. */
    private static byte[] ghostFromCrit(String image) {
        JsonNode e = CritOracle.crit(MINER, image).get("entries");
        byte[] out = new byte[(int) e.get(0).get("size").asLong()];
        for (int i = 1; i < e.size(); i++) {
            byte[] data = Base64.getMimeDecoder().decode(e.get(i).get("extra").asText());
            System.arraycopy(data, 0, out, (int) e.get(i).get("off").asLong(), data.length);
        }
        return out;
    }

    private static byte[] archiveMember(Path archive, String name) throws IOException {
        try (InputStream in = new ZstdInputStream(Files.newInputStream(archive))) {
            return tarMember(in, name);
        }
    }

    private static byte[] tarMember(InputStream in, String name) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; )
            if (e.getName().replaceFirst("^\\./", "").equals(name)) return tar.readAllBytes();
        throw new IllegalStateException(name + " not in the archive");
    }
}
