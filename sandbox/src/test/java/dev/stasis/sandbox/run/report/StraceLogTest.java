package dev.stasis.sandbox.run.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stasis.sandbox.run.Host;
import dev.stasis.testsupport.GroundTruth;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last-resort recording's reader, on real strace output of known commands. */
class StraceLogTest {
    @TempDir
    Path tmp;

    @Test
    void execsAndWrittenFilesOfARealTrace() {
        GroundTruth.require(Host.has("strace"), "strace is not installed");
        Path out = tmp.resolve("t.strace");
        Path written = tmp.resolve("dropped.sh");
        Host.Result r = Host.run(List.of("strace", "-f", "-ttt", "-s", "256", "-o", out.toString(), "/bin/sh", "-c",
                "/usr/bin/id >/dev/null; echo x > " + written + "; /bin/true a 'b c'"), 30);
        assumeTrue(r.ok(), "SKIPPED: strace cannot trace here: " + r.lastLine());
        DynamicReport.Activity a = StraceLog.read(out);
        assertThat(a.execs()).extracting(DynamicReport.Exec::path).containsSubsequence("/bin/sh", "/usr/bin/id", "/bin/true");
        assertThat(a.execs()).filteredOn(e -> e.path().equals("/bin/true")).singleElement()
                .extracting(DynamicReport.Exec::argv).isEqualTo(List.of("/bin/true", "a", "b c"));
        assertThat(a.filesWritten()).extracting(DynamicReport.FileWrite::path).contains(written.toString());
        assertThat(a.syscallLines()).isPositive();
    }
}
