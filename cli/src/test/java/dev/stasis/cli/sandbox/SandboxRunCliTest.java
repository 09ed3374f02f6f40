package dev.stasis.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.cli.CliTesting;
import dev.stasis.cli.CliTesting.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stasis sandbox run|cleanup} through picocli as Main wires them: help and the refusals that need no lab. */
class SandboxRunCliTest {
    @TempDir
    Path dir;

    @Test
    void helpNamesTheCageTheStimuliAndTheOutputs() {
        Run help = CliTesting.run("sandbox", "run", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--replay-irc", "--send", "--duration", "--[no-]tcp-established", "--store", "--format",
                "no route out", "syscalls.scap", "sandbox cleanup");
        assertThat(CliTesting.run("sandbox", "--help").out()).contains("run", "cleanup");
    }

    @Test
    void badInputIsOneLineAndCreatesNothing() {
        Run missing = CliTesting.run("sandbox", "run", dir.resolve("nope.tar").toString(), "-o", dir.resolve("run").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("stasis: ").doesNotContain("\n").doesNotContain("Exception");
        assertThat(dir.resolve("run")).doesNotExist();

        Run both = CliTesting.run("sandbox", "run", "x.tar", "--replay-irc", "--send", "lines.txt");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");

        Run format = CliTesting.run("sandbox", "run", CliTesting.checkpoint("irc-bot.tar.zst").toString(), "--format", "xml");
        assertThat(format.exit()).isEqualTo(1);
        assertThat(format.err().strip()).isEqualTo("stasis: invalid output format: xml (text or json)");
        assertThat(Files.exists(dir.resolve("run"))).isFalse();
    }

    @Test
    void durationsReadLikeAnAnalystWritesThem() {
        dev.stasis.cli.support.DurationConverter c = new dev.stasis.cli.support.DurationConverter();
        assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(c.convert("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
    }
}
