package dev.stasis.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.cli.CliTesting;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Colours only for a terminal that shows them: {@code TERM=dumb} gets none, as
 * {@code NO_COLOR} (no-color.org) gets none. The command runs as the background JVM
 * runs it for a client at a terminal ({@link Invocation#serve}), since a test has no
 * terminal of its own; ESC is what every colour starts with.
 */
class TerminalColourTest {
    private static final String ESC = "\u001b[";

    @AfterEach
    void ownAgain() {
        Invocation.serve(null);
    }

    private static String diffAt(Map<String, String> env) {
        Invocation.serve(new Invocation(env, Path.of(System.getProperty("user.dir")), true));
        CliTesting.Run run = CliTesting.run("diff", CliTesting.checkpoint("irc-bot.pre.tar.zst").toString(),
                CliTesting.checkpoint("irc-bot.tar.zst").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        return run.out();
    }

    @Test
    void aColourTerminalGetsColours() {
        // the control: without it the tests below could not fail
        assertThat(diffAt(Map.of("TERM", "xterm-256color"))).contains(ESC);
    }

    @Test
    void termDumbGetsNone() {
        assertThat(diffAt(Map.of("TERM", "dumb"))).isNotEmpty().doesNotContain(ESC);
    }

    @Test
    void noColorGetsNone() {
        assertThat(diffAt(Map.of("TERM", "xterm-256color", "NO_COLOR", ""))).isNotEmpty().doesNotContain(ESC);
    }

    @Test
    void helpHasNoColoursOnADumbTerminal() {
        Invocation.serve(new Invocation(Map.of("TERM", "dumb"), Path.of(System.getProperty("user.dir")), true));
        assertThat(CliTesting.run("inspect", "--help").out()).contains("Usage:").doesNotContain(ESC);
    }

    @Test
    void theRuleIsOneAnswer() {
        Path here = Path.of("/");
        assertThat(new Invocation(Map.of("TERM", "xterm"), here, true).colour()).isTrue();
        assertThat(new Invocation(Map.of("TERM", "dumb"), here, true).colour()).isFalse();
        assertThat(new Invocation(Map.of("NO_COLOR", "1"), here, true).colour()).isFalse();
        assertThat(new Invocation(Map.of("TERM", "xterm"), here, false).colour()).isFalse();
    }
}
