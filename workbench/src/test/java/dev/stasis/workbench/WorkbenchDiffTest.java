package dev.stasis.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.StoreRequest;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.cases.CaseStore;
import dev.stasis.testsupport.ProjectFiles;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diff of two checkpoints of one case, against what testdata/checkpoints/README.md says happened
 * between the healthy notebook (irc-bot.pre) and the attacked one (irc-bot.tar.zst): /tmp/perlbot.pl
 * dropped, a connection to 10.88.0.1:6667.
 */
class WorkbenchDiffTest {
    @TempDir
    Path tmp;

    @Test
    void theAttackIsWhatChangedBetweenTheHealthyAndTheAttackedNotebook() throws Exception {
        try (Lab lab = new Lab(tmp)) {
            String pre, post;
            try (Vault v = Vault.open(lab.vaultConfig)) {
                pre = v.store(StoreRequest.ofFile(ProjectFiles.checkpoint("irc-bot.pre.tar.zst"), Provenance.empty(), lab.analyst)).item().id();
                post = v.store(StoreRequest.ofFile(ProjectFiles.checkpoint("irc-bot.tar.zst"), Provenance.empty(), lab.analyst)).item().id();
            }
            try (CaseStore cases = CaseStore.open(CaseStore.sqlite(lab.vaultConfig.caseDatabase()))) {
                cases.create("INC-8", "notebook before and after", "a");
                cases.addEvidence("INC-8", pre, "a");
                cases.addEvidence("INC-8", post, "a");
            }
            lab.start();
            HttpClient http = HttpClient.newHttpClient();
            String item = http.send(HttpRequest.newBuilder(lab.uri("/items/" + post)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(item).contains("id=\"diff-form\"").contains("<option value=\"" + pre + "\">");
            HttpResponse<String> diff = http.send(HttpRequest.newBuilder(lab.uri("/items/" + post + "/diff?against=" + pre)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(diff.statusCode()).isEqualTo(200);
            assertThat(diff.body()).contains("id=\"diff\"").contains("/tmp/perlbot.pl").contains("10.88.0.1:6667");
            // a capture is not a checkpoint: refused in one line
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(lab.uri("/items/" + post + "/diff?against=" + lab.capture)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(wrong.body()).contains("is not a checkpoint");
        }
    }
}
