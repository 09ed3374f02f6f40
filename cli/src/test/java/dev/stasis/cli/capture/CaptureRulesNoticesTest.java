package dev.stasis.cli.capture;

import static dev.stasis.cli.CliTesting.root;
import static dev.stasis.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.cli.CliTesting.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stasis capture rules} with Falco's default rules on the capture the project recorded
 * (testdata/captures/stasis_shadow_logwipe.scap, where sysdig selects event 98 for the read of
 * /etc/shadow and 134 for the truncated log): the two rules fire, and a notice appears only when
 * it concerns this run, once.
 */
class CaptureRulesNoticesTest {
    private static final Path CAPTURE = root().resolve("testdata/captures/stasis_shadow_logwipe.scap");
    private static final Path DEFAULT_RULES = root().resolve("capture/src/test/resources/falco/falco_rules.yaml");

    @Test
    void defaultRulesFireWithoutNotices() {
        Run r = run("capture", "rules", CAPTURE.toString(), "--rules", DEFAULT_RULES.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out()).contains("Sensitive file opened for reading by non-trusted program | file=/etc/shadow")
                .contains("Log files were tampered | file=/var/log/dpkg.log");
        // the container plugin requirement and the output fields of rules that did not fire are not news
        assertThat(r.err()).doesNotContain("notice");
        assertThat(r.err()).contains("2 alerts");
    }

    @Test
    void lackingOutputFieldsAreANoticeOnceAndOnlyWhenTheRuleFires(@TempDir Path tmp) throws Exception {
        Path rules = Files.writeString(tmp.resolve("r.yaml"), """
                - rule: Every file open
                  desc: fires on every openat exit
                  condition: evt.type=openat and evt.dir=<
                  output: opened %fd.name since %container.start_ts
                  priority: NOTICE
                - rule: Never
                  desc: never fires
                  condition: evt.type=openat and fd.name=/no/such/file
                  output: never %proc.exe_ino.ctime
                  priority: NOTICE
                """);
        Run r = run("capture", "rules", CAPTURE.toString(), "--rules", rules.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().count()).isGreaterThan(2);
        assertThat(r.err().lines().filter(l -> l.contains("notice"))).singleElement().asString()
                .contains("'Every file open'").contains("container.start_ts").contains("<NA>");
        assertThat(r.err()).doesNotContain("proc.exe_ino.ctime");

        Run summary = run("capture", "rules", CAPTURE.toString(), "--rules", rules.toString(), "--summary", "--format", "json");
        assertThat(summary.exit()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("\"notices\"").contains("container.start_ts").doesNotContain("proc.exe_ino.ctime");
    }
}
