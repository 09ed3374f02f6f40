package dev.stasis.cli.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.cli.CliTesting;
import dev.stasis.cli.CliTesting.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The context `memory search` prints: readable, bounded, the match marked so that it cannot be misread. */
class MemorySearchContextTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void unprintableBytesAreEscapedOnceAndRunsAreCounted() {
        assertThat(SearchContext.render(b("\0".repeat(14) + "a\0\0\0:op\r\n\t"))).isEqualTo("\\x00{14}a\\x00\\x00\\x00:op\\r\\n\\t");
        // a backslash in memory is escaped, so "\x41" in memory does not read as the byte 0x41
        assertThat(SearchContext.render(b("\\x41"))).isEqualTo("\\\\x41");
        // a digit after a run is not part of the count, a brace after an escape is not a quantifier
        assertThat(SearchContext.render(b("\0\0\0\0" + "1"))).isEqualTo("\\x00{4}1");
        assertThat(SearchContext.render(b("\0{5}"))).isEqualTo("\\x00\\x7b5}");
        assertThat(SearchContext.render(b("\u00ff\u00ff\u00ff\u00ff\u00ff"))).isEqualTo("\\xff{5}");
    }

    @Test
    void theMatchIsFramedOrColouredAndEachSideIsBounded() {
        assertThat(SearchContext.line(b("ab "), b("PRIVMSG"), b(" #c2"), 40, false)).isEqualTo("ab »PRIVMSG« #c2");
        assertThat(SearchContext.line(b("ab "), b("PRIVMSG"), b(" #c2"), 40, true)).isEqualTo("ab \u001b[1;31mPRIVMSG\u001b[0m #c2");
        // the units nearest the match are kept, an escape is never cut in two
        assertThat(SearchContext.line(b("xyz\r\n"), b("M"), b("\r\nabc"), 5, false)).isEqualTo("…z\\r\\n»M«\\r\\na…");
        assertThat(SearchContext.line(b("xy\u0001"), b("M"), b(""), 5, false)).isEqualTo("…y\\x01»M«");
        // a long match keeps its start and says how long it is
        assertThat(SearchContext.line(b(""), b("abcdefghijkl"), b(""), 5, false)).isEqualTo("»abcdefghij…(12 bytes)«");
    }

    /** Ground truth: what the bot sent its C2, as the C2's transcript recorded it (Python bytes reprs). */
    @Test
    void searchPrintsTheBotsMessagesAsTheC2ReceivedThem() throws Exception {
        List<String> sent = Files.readAllLines(CliTesting.checkpoint("irc-bot.tar.zst.c2.log")).stream()
                .filter(l -> l.startsWith("< b'PRIVMSG ")).map(l -> l.substring(4, l.length() - 1)).toList();
        assertThat(sent).isNotEmpty();
        Run r = CliTesting.run("memory", "search", CliTesting.checkpoint("irc-bot.tar.zst").toString(), "--text", "PRIVMSG");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> hits = r.out().lines().skip(1).filter(l -> l.contains("PRIVMSG")).toList();
        assertThat(hits).isNotEmpty();
        for (String l : hits) {
            assertThat(l).contains("»PRIVMSG«").doesNotContain("[PRIVMSG]").doesNotContain("\u001b[") // not a terminal: no colour
                    .doesNotContain("\\x00\\x00\\x00\\x00");
            assertThat(l.length()).as(l).isLessThanOrEqualTo(180);
        }
        // the transcript's repr escapes \r\n as the context does: some message the bot sent is in its heap, framed
        assertThat(sent).anyMatch(m -> hits.stream().anyMatch(h -> h.contains(m.replace("PRIVMSG", "»PRIVMSG«"))));
    }
}
