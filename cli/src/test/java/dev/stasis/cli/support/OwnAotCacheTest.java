package dev.stasis.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.cli.CliTesting;
import dev.stasis.cli.Main;
import dev.stasis.cli.support.CommandTable.Jvm;
import dev.stasis.cli.support.CommandTable.Row;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The commands that start from an AOT cache of their own (the launcher records it with
 * {@code aot-training ROOT --only NAME}) get it from their own training runs, and only those.
 */
class OwnAotCacheTest {
    private static final Path ROOT = Path.of("/project"), SCRATCH = Path.of("/scratch");

    @Test
    void captureAndInspectHaveCachesOfTheirOwnRecordedFromTheirRunsAlone() {
        CommandTable table = Main.commandTable();
        List<String> own = table.rows().stream().filter(Row::ownCache).map(Row::name).toList();
        assertThat(own).containsExactlyInAnyOrder("capture", "inspect");
        for (String name : own) {
            Row row = table.row(name).orElseThrow();
            List<String[]> runs = table.trainingRuns(ROOT, SCRATCH, row);
            assertThat(runs).as(name).hasSize(row.training().size()).isNotEmpty();
            assertThat(runs).as(name).allSatisfy(args -> assertThat(args[0]).isEqualTo(name));
            // the whole table's runs include them, so the shared cache still holds these commands' classes
            assertThat(table.trainingRuns(ROOT, SCRATCH).stream().filter(a -> a[0].equals(name)).count()).isEqualTo(runs.size());
        }
    }

    @Test
    void aCacheOfItsOwnNeedsTrainingRuns() {
        assertThatThrownBy(() -> new CommandTable(Jvm.SHORT, List.of(Row.of(CaptureCommandStub.class, Jvm.SHORT).ownAotCache())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stub has an AOT cache of its own but no training runs");
    }

    @Test
    void trainingForACommandThatDoesNotExistIsRefusedInOneLine() {
        CliTesting.Run r = CliTesting.run("aot-training", "/nonexistent-root", "--only", "nope");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("stasis: no command named nope");
    }

    @picocli.CommandLine.Command(name = "stub")
    static final class CaptureCommandStub {}
}
