package dev.stasis.checkpoint.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.checkpoint.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckpointArchiveTest {

    /** What the system's tar says an archive holds: name -> size (an independent reader). */
    static Map<String, Long> systemTarListing(Path archive) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "--auto-compress", "-tvf", archive.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor();
        Map<String, Long> out = new HashMap<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 6 || !f[0].startsWith("-")) continue;
            out.put(f[5], Long.parseLong(f[2]));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"irc-bot.tar.zst,ZSTD", "fileless-miner.tar.gz,GZIP", "irc-bot.tar,NONE", "benign-web.tar.zst,ZSTD"})
    void sniffsCompressionAndListsWhatTarLists(String name, Compression expected) throws Exception {
        Path file = Fixtures.checkpoint(name);
        Map<String, Long> tar = systemTarListing(file);
        assertThat(tar).isNotEmpty();
        try (CheckpointArchive a = CheckpointArchive.open(file)) {
            assertThat(a.compression()).isEqualTo(expected);
            Map<String, Long> ours = new HashMap<>();
            for (ArchiveMember m : a.members()) if (m.isFile()) ours.put(m.name(), m.size());
            assertThat(ours).isEqualTo(tar);
        }
    }

    @ParameterizedTest
    @CsvSource({"irc-bot.tar.zst", "fileless-miner.tar.gz", "irc-bot.tar", "benign-web.tar.zst", "irc-bot.pre.tar.zst"})
    void imagesAreTheOnesCritDecoded(String name) throws Exception {
        List<String> critImages;
        try (Stream<Path> s = Files.list(Fixtures.checkpoint("crit").resolve(name))) {
            critImages = s.map(p -> p.getFileName().toString().replaceFirst("\\.json$", "")).toList();
        }
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint(name))) {
            assertThat(a.images().names()).containsAll(critImages);
            for (String img : critImages) assertThat(a.images().image(img)).isPresent();
        }
    }

    @ParameterizedTest
    @CsvSource({"irc-bot.tar", "irc-bot.tar.zst", "fileless-miner.tar.gz"})
    void randomAccessReadsTheSameBytesAsTheStream(String name) throws Exception {
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint(name))) {
            String pages = a.list("checkpoint").stream().filter(n -> n.startsWith("pages-")).findFirst().orElseThrow();
            byte[] whole;
            try (InputStream in = a.open("checkpoint/" + pages)) {
                whole = in.readAllBytes();
            }
            SeekableContent c = a.content("checkpoint/" + pages);
            assertThat(c.size()).isEqualTo(whole.length);
            long[] offsets = {0, 4095, 4096, whole.length / 2 + 17, whole.length - 5};
            for (long off : offsets) {
                ByteBuffer buf = ByteBuffer.allocate(64);
                int n = c.read(off, buf);
                int expected = (int) Math.min(64, whole.length - off);
                assertThat(n).isEqualTo(expected);
                assertThat(java.util.Arrays.copyOf(buf.array(), n))
                        .isEqualTo(java.util.Arrays.copyOfRange(whole, (int) off, (int) off + n));
            }
            assertThat(c.read(whole.length, ByteBuffer.allocate(8))).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @CsvSource({"irc-bot.tar,true", "irc-bot.tar.zst,false", "fileless-miner.tar.gz,false"})
    void mapAndSequentialGiveTheBytesTarExtracts(String name, boolean mapped, @TempDir Path dir) throws Exception {
        Path file = Fixtures.checkpoint(name);
        Process p = new ProcessBuilder("tar", "--auto-compress", "-xf", file.toString(), "-C", dir.toString(), "checkpoint/").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        try (CheckpointArchive a = CheckpointArchive.open(file)) {
            String pages = a.list("checkpoint").stream().filter(n -> n.startsWith("pages-")).findFirst().orElseThrow();
            byte[] want = Files.readAllBytes(dir.resolve("checkpoint").resolve(pages));
            String member = "checkpoint/" + pages;
            assertThat(a.inPlace(member)).isEqualTo(mapped);
            // one pass from a fresh decompression (compressed) or in place (plain): no spill file either way
            ByteBuffer all = ByteBuffer.allocate(want.length + 1);
            try (java.nio.channels.ReadableByteChannel ch = a.sequential(member)) {
                while (ch.read(all) >= 0) {
                    if (!all.hasRemaining()) break;
                }
            }
            assertThat(java.util.Arrays.copyOf(all.array(), all.position())).isEqualTo(want);
            assertThat(a.inPlace(member)).isEqualTo(mapped);
            SeekableContent c = a.content(member);
            assertThat(c.mappable()).isTrue();                       // plain tars in place, compressed ones through the spill file
            ByteBuffer m = c.map(4096, want.length - 4096 - 3);
            byte[] got = new byte[m.remaining()];
            m.get(got);
            assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(want, 4096, want.length - 3));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.map(want.length - 10, 11)).isInstanceOf(ArchiveException.class);
        }
    }

    @Test
    void spillFileOfACompressedArchiveIsPrivateAndGoneAfterClose() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = spills(tmp);
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint("benign-web.tar.zst"))) {
            a.content("checkpoint/pages-1.img");
            List<Path> during = new ArrayList<>(spills(tmp));
            during.removeAll(before);
            assertThat(during).hasSize(1);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(during.getFirst()))).isEqualTo("rw-------");
        }
        assertThat(spills(tmp)).containsExactlyInAnyOrderElementsOf(before);
    }

    private static List<Path> spills(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("stasis-spill-")).toList();
        }
    }

    @Test
    void readRefusesMembersOverTheLimit() {
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint("irc-bot.tar"), ArchiveLimits.defaults().withMaxMemberRead(1000))) {
            assertThat(a.read("checkpoint/pstree.img")).hasSizeLessThan(1000);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.read("config.dump"))
                    .isInstanceOf(ArchiveException.class).hasMessageContaining("config.dump").hasMessageContaining("more than the 1000");
        }
    }

    @Test
    void bareImageDirectoryAndUnpackedCheckpointOpenAlike(@TempDir Path dir) throws Exception {
        Map<String, byte[]> members = Fixtures.members(Fixtures.checkpoint("irc-bot.tar"));
        Path bare = dir.resolve("bare");
        Path unpacked = dir.resolve("unpacked");
        for (var e : members.entrySet()) {
            if (e.getKey().startsWith("checkpoint/")) {
                Path f = bare.resolve(e.getKey().substring("checkpoint/".length()));
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue());
            }
            Path g = unpacked.resolve(e.getKey());
            Files.createDirectories(g.getParent());
            Files.write(g, e.getValue());
        }
        Files.createSymbolicLink(bare.resolve("outside.img"), Path.of("/etc/passwd"));
        try (CheckpointArchive a = CheckpointArchive.open(bare); CheckpointArchive b = CheckpointArchive.open(unpacked)) {
            assertThat(a.compression()).isEqualTo(Compression.DIRECTORY);
            assertThat(a.images().names()).isEqualTo(b.images().names()).contains("pstree.img").doesNotContain("outside.img");
            assertThat(a.read("checkpoint/pstree.img")).isEqualTo(members.get("checkpoint/pstree.img"));
            assertThat(b.read("config.dump")).isEqualTo(members.get("config.dump"));
        }
    }
}
