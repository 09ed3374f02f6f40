package dev.stasis.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.memory.search.MemorySearch;
import dev.stasis.memory.search.SearchHit;
import dev.stasis.memory.search.SearchPattern;
import dev.stasis.memory.testing.CritOracle;
import dev.stasis.memory.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Search results against the attack transcript and a naive search over crit's pagemap and the raw pages. */
class SearchTest {
    private static final String BOT = "irc-bot.tar.zst";
    private static final int BOT_PID = 17;
    private static final Map<String, byte[]> IMAGES = Fixtures.images(BOT);
    private static final CheckpointMemory MEM = CheckpointMemory.load(Fixtures.source(IMAGES));

    private static List<SearchHit> search(SearchPattern p, Set<Integer> pids) {
        return MemorySearch.search(MEM, p, new MemorySearch.Options(pids, 16, 100_000), null).hits();
    }

    /** Lines the attacker's C2 server received from the bot (irc-bot.tar.zst.c2.log) are in the bot's memory. */
    @ParameterizedTest
    @ValueSource(strings = {"NICK kube-7f3a", "kube-7f3a", "PRIVMSG #c2 :var", "portscan 127.0.0.1:8888 open", "PRIVMSG #c2 :"})
    void transcriptLinesAreFoundExactlyWhereANaiveSearchFindsThem(String line) {
        byte[] needle = line.getBytes(StandardCharsets.US_ASCII);
        TreeMap<Long, byte[]> pages = CritOracle.presentPages(BOT, IMAGES, BOT_PID);
        List<Long> expected = CritOracle.naiveSearch(pages, needle);
        List<SearchHit> hits = search(SearchPattern.text(line, false), Set.of(BOT_PID));
        assertThat(expected).isNotEmpty();
        assertThat(hits).extracting(SearchHit::address).containsExactlyInAnyOrderElementsOf(expected);
        for (SearchHit h : hits) {
            assertThat(h.pid()).isEqualTo(BOT_PID);
            assertThat(h.process()).isEqualTo("[systemd]");
            assertThat(h.match()).isEqualTo(needle);
            assertThat(h.vma().contains(h.address())).isTrue();
            // the raw pages image holds the match at the reported offset
            byte[] raw = IMAGES.get(h.pagesImage());
            assertThat(java.util.Arrays.copyOfRange(raw, (int) h.fileOffset(), (int) h.fileOffset() + needle.length)).isEqualTo(needle);
        }
    }

    /** Every 12-byte sequence straddling a page boundary inside a multi-page run is found at its address. */
    @Test
    void matchesAcrossPageAndEntryBoundariesAreFound() {
        TreeMap<Long, byte[]> pages = CritOracle.presentPages(BOT, IMAGES, BOT_PID);
        int checked = 0;
        for (Map.Entry<Long, byte[]> e : pages.entrySet()) {
            byte[] next = pages.get(e.getKey() + 4096);
            if (next == null) continue;
            byte[] needle = new byte[12];
            System.arraycopy(e.getValue(), 4096 - 5, needle, 0, 5);
            System.arraycopy(next, 0, needle, 5, 7);
            if (allSame(needle)) continue;    // zero runs match everywhere; pick distinctive bytes
            List<Long> expected = CritOracle.naiveSearch(pages, needle);
            assertThat(expected).contains(e.getKey() + 4096 - 5);
            List<SearchHit> hits = search(SearchPattern.hex(hex(needle)), Set.of(BOT_PID));
            assertThat(hits).extracting(SearchHit::address).containsExactlyInAnyOrderElementsOf(expected);
            if (++checked == 40) break;
        }
        assertThat(checked).isEqualTo(40);
    }

    /** Places where addresses jump (not contiguous) never produce a match across the jump. */
    @Test
    void noMatchJoinsPagesThatAreNotAdjacentInMemory() {
        TreeMap<Long, byte[]> pages = CritOracle.presentPages(BOT, IMAGES, BOT_PID);
        int checked = 0;
        for (Map.Entry<Long, byte[]> e : pages.entrySet()) {
            if (pages.containsKey(e.getKey() + 4096)) continue;
            Map.Entry<Long, byte[]> after = pages.higherEntry(e.getKey());
            if (after == null) break;
            byte[] needle = new byte[10];
            System.arraycopy(e.getValue(), 4096 - 5, needle, 0, 5);
            System.arraycopy(after.getValue(), 0, needle, 5, 5);
            if (allSame(needle)) continue;
            List<Long> expected = CritOracle.naiveSearch(pages, needle);
            assertThat(expected).doesNotContain(e.getKey() + 4096 - 5);
            assertThat(search(SearchPattern.hex(hex(needle)), Set.of(BOT_PID))).extracting(SearchHit::address)
                    .containsExactlyInAnyOrderElementsOf(expected);
            checked++;
        }
        assertThat(checked).isGreaterThan(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PRIVMSG #c2 :[a-z]+\\r\\n", "kube-[0-9a-f]{4}", "[0-9]+\\.0\\.0\\.1:[0-9]+ (open|closed)", "#c\\d :\\w+"})
    void regexMatchesAgreeWithJavaRegexOverTheNaiveReading(String re) {
        TreeMap<Long, byte[]> pages = CritOracle.presentPages(BOT, IMAGES, BOT_PID);
        List<Long> expected = new ArrayList<>();
        Pattern p = Pattern.compile(re, Pattern.DOTALL);
        long start = -1, next = -1;
        StringBuilder seg = new StringBuilder();
        for (Map.Entry<Long, byte[]> e : pages.entrySet()) {
            if (e.getKey() != next) {
                regexAll(p, seg, start, expected);
                seg.setLength(0);
                start = e.getKey();
            }
            seg.append(new String(e.getValue(), StandardCharsets.ISO_8859_1));
            next = e.getKey() + 4096;
        }
        regexAll(p, seg, start, expected);
        assertThat(expected).isNotEmpty();
        List<SearchHit> hits = search(SearchPattern.regex(re, false, 4096), Set.of(BOT_PID));
        assertThat(hits).extracting(SearchHit::address).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void ignoreCaseFindsBothSpellings() {
        List<SearchHit> exact = search(SearchPattern.text("privmsg", false), Set.of(BOT_PID));
        List<SearchHit> folded = search(SearchPattern.text("privmsg", true), Set.of(BOT_PID));
        List<SearchHit> upper = search(SearchPattern.text("PRIVMSG", false), Set.of(BOT_PID));
        assertThat(folded).hasSizeGreaterThanOrEqualTo(exact.size() + upper.size());
        assertThat(folded).extracting(SearchHit::address).containsAll(upper.stream().map(SearchHit::address).toList());
    }

    @Test
    void allProcessesByDefaultAndOnlyTheBotTalksIrc() {
        List<SearchHit> hits = search(SearchPattern.text("NICK kube-7f3a", false), Set.of());
        assertThat(hits).extracting(SearchHit::pid).containsOnly(BOT_PID);
    }

    @Test
    void memfdContentIsSearchedOnceAndReportedForItsMapper() {
        Map<String, byte[]> images = Fixtures.images("fileless-miner.tar.gz");
        CheckpointMemory mem = CheckpointMemory.load(Fixtures.source(images));
        // the memfd is a copy of an ELF executable; its program interpreter string is in it
        List<SearchHit> hits = MemorySearch.search(mem, SearchPattern.text("/lib64/ld-linux-x86-64.so.2", false),
                new MemorySearch.Options(Set.of(), 0, 1000), null).hits();
        List<SearchHit> shared = hits.stream().filter(SearchHit::shared).toList();
        assertThat(shared).isNotEmpty();
        assertThat(shared).allSatisfy(h -> {
            assertThat(h.pid()).isEqualTo(23);
            assertThat(h.vma().name()).startsWith("/memfd:kworkerds");
            assertThat(h.pagesImage()).isEqualTo("pages-5.img");   // pagemap-shmem-102's pages (crit: pages_id 5)
        });
    }

    @Test
    void badPatternsAreOneLineErrors() {
        assertThatThrownBy(() -> SearchPattern.hex("zz")).isInstanceOf(MemoryException.class).hasMessageContaining("hex");
        assertThatThrownBy(() -> SearchPattern.regex("a(", false, 4096)).isInstanceOf(MemoryException.class).hasMessageContaining("bad regex");
        assertThatThrownBy(() -> SearchPattern.regex("x*", false, 4096)).isInstanceOf(MemoryException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> search(SearchPattern.text("x", false), Set.of(99))).isInstanceOf(MemoryException.class).hasMessageContaining("no process 99");
    }

    private static void regexAll(Pattern p, StringBuilder seg, long start, List<Long> out) {
        Matcher m = p.matcher(seg);
        while (m.find()) out.add(start + m.start());
    }

    private static boolean allSame(byte[] b) {
        for (byte x : b) if (x != b[0]) return false;
        return true;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x ", x & 0xff));
        return sb.toString().trim();
    }
}
