package dev.stasis.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.report.Report;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * STASIS-HIST-001, STASIS-CRED-002 and STASIS-CRED-003 on the lab checkpoints of
 * testdata/checkpoints/artefacts, against what their operator typed (*.typed) and what
 * was planted (*.planted), and on the benign checkpoints, where there must be none.
 */
class MemoryArtefactsFindingsTest {
    private static final Set<String> IDS = Set.of("STASIS-HIST-001", "STASIS-CRED-002", "STASIS-CRED-003");

    @Test
    void theReverseShellsTypedCommandsAreAFindingWithPidAddressAndVma() throws Exception {
        Report r = Fixtures.report("artefacts/reverse-shell.tar.zst");
        Finding f = FixtureFindingsTest.one(r, "STASIS-HIST-001");
        List<String> typed = Files.readAllLines(TestData.checkpoint("artefacts/reverse-shell.tar.zst.typed")).stream().filter(l -> !l.isEmpty()).toList();
        assertThat(f.title()).startsWith(typed.size() + " commands typed into the shell pid 1 (bash)");
        assertThat(f.techniques()).contains("T1059.004", "T1033", "T1082");
        assertThat(f.evidence()).hasSize(typed.size());
        for (int i = 0; i < typed.size(); i++) {
            Evidence e = f.evidence().get(i);
            assertThat(e.pid()).isEqualTo(1);
            assertThat(e.address()).startsWith("0x");
            assertThat(e.excerpt()).startsWith("#" + i + " ").contains(typed.get(i)).contains("[heap]");
        }
    }

    @Test
    void theNodeReplsLinesAreAFindingInTheOrderTyped() throws Exception {
        Report r = Fixtures.report("artefacts/node-repl.tar.zst");
        Finding f = FixtureFindingsTest.one(r, "STASIS-HIST-001");
        List<String> typed = Files.readAllLines(TestData.checkpoint("artefacts/node-repl.tar.zst.typed")).stream().filter(l -> !l.isEmpty()).toList();
        assertThat(f.title()).startsWith(typed.size() + " commands typed into the node REPL pid ");
        assertThat(f.techniques()).contains("T1059.007");
        assertThat(f.why()).contains("V8 heap");
        assertThat(f.evidence()).extracting(Evidence::excerpt).hasSize(typed.size());
        for (int i = 0; i < typed.size(); i++) assertThat(f.evidence().get(i).excerpt()).startsWith("#" + i + " " + typed.get(i) + " [");
    }

    @Test
    void theFilelessMinersReverseShellHistoryMatchesItsOperator() {
        // the commands the scenario's operator sent (shared/lab/make-scenarios.sh, fileless_miner; echoed in the .shell.log)
        Finding f = FixtureFindingsTest.one(Fixtures.report("fileless-miner.tar.gz"), "STASIS-HIST-001");
        assertThat(f.evidence()).extracting(Evidence::excerpt).satisfiesExactly(
                e -> assertThat(e).contains(" id ["),
                e -> assertThat(e).contains(" uname -a ["),
                e -> assertThat(e).contains(" cat /var/run/secrets/kubernetes.io/serviceaccount/token 2>&1 ["));
    }

    @Test
    void plantedCredentialsAreFindingsAndStayMasked() throws Exception {
        JsonNode planted = new ObjectMapper().readTree(TestData.checkpoint("artefacts/credentials.tar.zst.planted").toFile());
        Report r = Fixtures.report("artefacts/credentials.tar.zst");
        Finding token = FixtureFindingsTest.one(r, "STASIS-CRED-002");
        assertThat(token.title()).contains("payments/billing").contains("billing-7d9f8c6b5-x2x9q");
        assertThat(token.techniques()).contains("T1552.007").doesNotContain("T1078.001");
        Finding other = FixtureFindingsTest.one(r, "STASIS-CRED-003");
        assertThat(other.techniques()).contains("T1552.001", "T1552.004");
        assertThat(other.title()).contains("AWS access key", "database connection string", "URL with a password", "SSH private key", "GCP service-account key");
        String token64 = planted.get("kubernetes_token").asText();
        for (Finding f : List.of(token, other)) {
            for (Evidence e : f.evidence()) {
                assertThat(e.excerpt()).doesNotContain(token64.substring(token64.lastIndexOf('.') + 1))
                        .doesNotContain(planted.get("aws_secret_access_key").asText()).doesNotContain("Pg-s3cret-0f9a")
                        .doesNotContain("ghp_lab0000secret1111token");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"benign-web.tar.zst", "artefacts/benign-sleep.tar.zst", "irc-bot.pre.tar.zst"})
    void benignCheckpointsHaveNoArtefactFindings(String name) {
        assertThat(Fixtures.report(name).findings()).noneMatch(f -> IDS.contains(f.id()));
    }
}
