package dev.stasis.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.memory.search.MemorySearch;
import dev.stasis.memory.search.SearchHit;
import dev.stasis.memory.search.SearchPattern;
import dev.stasis.memory.strings.FoundString;
import dev.stasis.memory.strings.StringsExtractor;
import dev.stasis.memory.testing.CritOracle;
import dev.stasis.memory.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real archives through CheckpointArchive (plain, zstd, gzip, unpacked and mapped) give the hits the raw images give. */
class ArchiveSourceTest {
    private static List<String> hits(MemorySource src, String text) {
        CheckpointMemory mem = CheckpointMemory.load(src);
        return MemorySearch.search(mem, SearchPattern.text(text, false), new MemorySearch.Options(Set.of(), 8, 10_000), null).hits()
                .stream().map(h -> h.pid() + "@" + Long.toHexString(h.address())).sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar", "irc-bot.tar.zst", "fileless-miner.tar.gz"})
    void archivesAgreeWithTheirRawImages(String archive) throws Exception {
        String needle = archive.startsWith("irc") ? "PRIVMSG #c2" : "ld-linux-x86-64";
        List<String> expected = hits(Fixtures.source(archive), needle);
        assertThat(expected).isNotEmpty();
        try (ArchiveMemorySource src = ArchiveMemorySource.open(Fixtures.checkpoint(archive))) {
            assertThat(hits(src, needle)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar.zst", "fileless-miner.tar.gz"})
    void compressedArchivesAreSearchedInOnePassWithoutTheSpillFile(String archive) throws Exception {
        String needle = archive.startsWith("irc") ? "PRIVMSG #c2" : "ld-linux-x86-64";
        List<SearchHit> expected = fullHits(Fixtures.source(archive), needle);
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint(archive)); ArchiveMemorySource src = ArchiveMemorySource.over(a)) {
            List<SearchHit> got = fullHits(src, needle);
            String pages = a.list("checkpoint").stream().filter(n -> n.startsWith("pages-")).findFirst().orElseThrow();
            assertThat(a.inPlace("checkpoint/" + pages)).as("no spill file was made").isFalse();
            assertThat(got).hasSameSizeAs(expected).isNotEmpty();
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).address()).isEqualTo(expected.get(i).address());
                assertThat(got.get(i).before()).isEqualTo(expected.get(i).before());
                assertThat(got.get(i).after()).isEqualTo(expected.get(i).after());
            }
        }
    }

    @Test
    void plainTarsAreMappedInPlace() throws Exception {
        try (ArchiveMemorySource src = ArchiveMemorySource.open(Fixtures.checkpoint("irc-bot.tar"))) {
            PageFile f = src.pages("pages-6.img").orElseThrow();
            java.nio.ByteBuffer mapped = f.map(4096, 8192);
            assertThat(mapped).isInstanceOf(java.nio.MappedByteBuffer.class);
            byte[] fromMap = new byte[8192];
            mapped.get(0, fromMap);
            assertThat(fromMap).isEqualTo(java.util.Arrays.copyOfRange(Fixtures.images("irc-bot.tar").get("pages-6.img"), 4096, 4096 + 8192));
        }
    }

    private static List<SearchHit> fullHits(MemorySource src, String text) {
        CheckpointMemory mem = CheckpointMemory.load(src);
        return MemorySearch.search(mem, SearchPattern.text(text, false), new MemorySearch.Options(Set.of(), 48, 10_000), null).hits()
                .stream().sorted(java.util.Comparator.comparingInt(SearchHit::pid).thenComparingLong(SearchHit::address)).toList();
    }

    @Test
    void anUnpackedDirectoryIsSearchedMappedWithTheSameHits(@TempDir Path dir) throws Exception {
        Map<String, byte[]> images = Fixtures.images("irc-bot.tar");
        Files.createDirectories(dir.resolve("checkpoint"));
        for (Map.Entry<String, byte[]> e : images.entrySet()) Files.write(dir.resolve("checkpoint").resolve(e.getKey()), e.getValue());
        try (ArchiveMemorySource src = ArchiveMemorySource.open(dir)) {
            assertThat(src.pages("pages-6.img").orElseThrow().map(0, 4096)).as("directories are mapped in place").isNotNull();
            assertThat(hits(src, "kube-9b21")).isEqualTo(hits(Fixtures.source(images), "kube-9b21")).isNotEmpty();
        }
    }

    @Test
    void stringsAndReadsMatchTheRawPages() {
        String archive = "irc-bot.tar.zst";
        Map<String, byte[]> images = Fixtures.images(archive);
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(images));
        TreeMap<Long, byte[]> pages = CritOracle.presentPages(archive, images, 17);
        AddressSpace as = mem.addressSpace(17);
        // every present page reads back byte for byte as crit's pagemap and the raw image say
        byte[] buf = new byte[4096];
        for (Map.Entry<Long, byte[]> e : pages.entrySet()) {
            assertThat(as.read(e.getKey(), buf, 0, 4096)).isEmpty();
            assertThat(buf).isEqualTo(e.getValue());
        }
        // the IRC registration the C2 server logged is one of the bot's strings, at the address search reports
        List<FoundString> strings = new ArrayList<>();
        new StringsExtractor(6, StringsExtractor.Encoding.BOTH, strings::add).extract(as);
        SearchHit nick = MemorySearch.search(mem, SearchPattern.text("NICK kube-7f3a", false), new MemorySearch.Options(Set.of(17), 0, 10), null).hits().get(0);
        assertThat(strings).anySatisfy(s -> {
            assertThat(s.encoding()).isEqualTo("ascii");
            assertThat(nick.address()).isBetween(s.address(), s.address() + s.text().length() - 1);
            assertThat(s.text()).contains("NICK kube-7f3a");
        });
        // strings' bytes are what the raw pages hold at their addresses
        for (FoundString s : strings.subList(0, Math.min(200, strings.size()))) {
            if (!s.encoding().equals("ascii")) continue;
            byte[] b = new byte[s.text().length()];
            as.read(s.address(), b, 0, b.length);
            assertThat(new String(b, StandardCharsets.ISO_8859_1)).isEqualTo(s.text());
        }
    }

    @Test
    void missingFilePagesAreGapsNotZeros() {
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source("irc-bot.tar.zst"));
        AddressSpace as = mem.addressSpace(17);
        Vma libc = as.process().vmas().stream().filter(v -> v.name().endsWith("libc.so.6") && v.perms().equals("r-xp")).findFirst().orElseThrow();
        List<AddressSpace.Gap> gaps = as.read(libc.start(), new byte[8192], 0, 8192);
        assertThat(gaps).isNotEmpty().allSatisfy(g -> assertThat(g.state()).isEqualTo(PageState.FILE_NOT_DUMPED));
    }
}
