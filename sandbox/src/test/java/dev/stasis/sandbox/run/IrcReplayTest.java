package dev.stasis.sandbox.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.sandbox.Fixtures;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What --replay-irc sends, against the commands the lab C2 really sent (its log) and the bot's own NICK/JOIN lines. */
class IrcReplayTest {
    @Test
    void replaysTheCommandsTheOperatorSent() throws Exception {
        String log = Files.readString(Fixtures.checkpoint("irc-bot.tar.zst.c2.log"));
        IrcReplay r = IrcReplay.fromAnalysis(Fixtures.checkpoint("irc-bot.tar.zst"));
        assertThat(log).contains("NICK " + r.nick()).contains("JOIN " + r.channel());
        // make-scenarios.sh gave this C2 "!exec id" "!exec ls /" "!portscan ..."; the bot answered the first
        List<String> sent = new ArrayList<>();
        Matcher m = Pattern.compile("!(exec|portscan) [^\\\\'\"]+").matcher(Files.readString(Fixtures.root().resolve("../shared/lab/make-scenarios.sh")));
        while (m.find()) sent.add(m.group());
        assertThat(r.commands()).isNotEmpty().allSatisfy(c -> assertThat(sent).contains(c));
        assertThat(r.commands()).contains("!exec id");
        assertThat(r.findingIds()).contains("STASIS-C2-001", "STASIS-C2-002");
    }

    @Test
    void aCheckpointWithoutIrcIsOneClearLine() {
        assertThatThrownBy(() -> IrcReplay.fromAnalysis(Fixtures.checkpoint("benign-web.tar.zst")))
                .isInstanceOf(SandboxException.class).hasMessageStartingWith("--replay-irc: analyze recovered no IRC operator commands");
    }
}
