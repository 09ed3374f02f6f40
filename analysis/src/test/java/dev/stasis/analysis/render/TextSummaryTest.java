package dev.stasis.analysis.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.analysis.Fixtures;
import dev.stasis.testsupport.ProjectFiles;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The terminal summary: sockets under the process that holds them, and no pointer to a report nobody asked for. */
class TextSummaryTest {
    @Test
    void theBotsC2SocketIsListedUnderTheBot() throws Exception {
        // ground truth: the C2 server's own log names the address the bot connected from
        String c2 = Files.readString(ProjectFiles.checkpoint("irc-bot.tar.zst.c2.log"));
        Matcher conn = Pattern.compile("conn \\('([0-9.]+)', (\\d+)\\)").matcher(c2);
        assertThat(conn.find()).isTrue();
        String peer = conn.group(1) + ":" + conn.group(2);

        List<String> lines = TextSummary.render(Fixtures.report("irc-bot.tar.zst"), false, false).lines().toList();
        int bot = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).matches("\\s+17\\s+\\[systemd].*")) bot = i;
        assertThat(bot).as("the bot's process line").isPositive();
        // among the lines nested under the bot (deeper than its line, with its open files and cwd)
        int sock = -1;
        for (int i = bot + 1; i < lines.size() && indent(lines.get(i)) > indent(lines.get(bot)); i++) {
            if (lines.get(i).strip().startsWith("socket ")) sock = i;
        }
        assertThat(sock).as("the bot's socket line").isPositive();
        assertThat(lines.get(sock)).contains("socket tcp", peer, "-> 10.88.0.1:6667", "established", "fd 3");
        assertThat(lines).noneMatch(l -> l.startsWith("Connections"));
    }

    @Test
    void moreEvidenceSaysWhatShowsIt() {
        String text = TextSummary.render(Fixtures.report("irc-bot.tar.zst"), false, false);
        assertThat(text).doesNotContain("see the report").contains("more (analyze -v lists them");
        assertThat(TextSummary.render(Fixtures.report("irc-bot.tar.zst"), false, true)).doesNotContain("more (analyze -v");
    }

    private static int indent(String s) {
        return s.length() - s.stripLeading().length();
    }
}
