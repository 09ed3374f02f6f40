package dev.stasis.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.cli.CliTesting;
import dev.stasis.cli.CliTesting.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user trips over first: a missing or mistyped command, help to paste from, a file of the wrong kind. */
class NewUserEdgesTest {
    @TempDir
    Path dir;

    @Test
    void aGroupWithoutItsCommandShowsItsUsageOnStderrAndFails() {
        Run top = CliTesting.run();
        assertThat(top.exit()).isEqualTo(2);
        assertThat(top.out()).isEmpty();
        assertThat(top.err()).contains("Usage: stasis").contains("stasis: 'stasis' needs a command: analyze, inspect,")
                .doesNotContain("aot-training").doesNotContain(", help");
        for (String group : new String[] {"capture", "evidence", "crit", "memory", "case"}) {
            Run r = CliTesting.run(group);
            assertThat(r.exit()).as(group).isEqualTo(2);
            assertThat(r.err()).as(group).contains("Usage: stasis " + group).contains("'stasis " + group + "' needs a command");
        }
    }

    @Test
    void aMistypedCommandGetsASuggestionAndTheBritishSpellingWorks() {
        Run typo = CliTesting.run("analyzz", "x.tar");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("Did you mean: stasis analyze");
        Run british = CliTesting.run("analyse", CliTesting.checkpoint("benign-web.tar.zst").toString(), "--format", "json");
        assertThat(british.exit()).isZero();
        assertThat(british.out()).contains("\"findings\"");
    }

    @Test
    void helpCommandAndExamplesThatPasteWhole() {
        Run help = CliTesting.run("help", "show");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: stasis show");
        // the example is longer than any terminal's default width: it must stay one line
        Run analyze = CliTesting.run("analyze", "--help");
        assertThat(analyze.out().lines())
                .contains("  stasis analyze cp.tar --format json | jq '.findings[] | select(.severity==\"critical\")'");
    }

    @Test
    void aCheckpointOrATextFileGivenToACaptureCommandIsNamed() throws Exception {
        Path archive = CliTesting.checkpoint("irc-bot.tar.zst");
        Run events = CliTesting.run("capture", "events", archive.toString());
        assertThat(events.exit()).isEqualTo(1);
        assertThat(events.err().strip()).isEqualTo(
                "stasis: irc-bot.tar.zst is a checkpoint archive, not a syscall capture: read it with `stasis inspect` or `stasis analyze`");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Run info = CliTesting.run("capture", "info", text.toString());
        assertThat(info.err().strip()).isEqualTo("stasis: notes.txt is a text file, not a syscall capture");
        Path scap = CliTesting.root().resolve("testdata/captures/libs_curl_google.scap");
        Run analyze = CliTesting.run("analyze", scap.toString());
        assertThat(analyze.exit()).isEqualTo(1);
        assertThat(analyze.err()).contains("is a gzip-compressed syscall capture (.scap), not a checkpoint archive: read it with `stasis capture`");
    }
}
