package dev.stasis.memory.artefacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.memory.ArchiveMemorySource;
import dev.stasis.memory.CheckpointMemory;
import dev.stasis.memory.artefacts.Credential.Kind;
import dev.stasis.memory.sweep.PageSweep;
import dev.stasis.testsupport.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Against the lab checkpoints of testdata/checkpoints/artefacts (made by make.sh there): the ground
 * truth is what the operator typed ({@code *.typed}) and what mint.py planted ({@code *.planted}),
 * written by the scenario, not by the code under test.
 */
class LabArtefactsTest {
    static Path lab(String name) {
        return ProjectFiles.checkpoint("artefacts/" + name);
    }

    static ArtefactReport scan(String name) {
        try (ArchiveMemorySource src = ArchiveMemorySource.open(lab(name))) {
            return MemoryArtefacts.scan(CheckpointMemory.load(src), MemoryArtefacts.Options.all());
        }
    }

    static ArtefactReport scanPath(Path p) {
        try (ArchiveMemorySource src = ArchiveMemorySource.open(p)) {
            return MemoryArtefacts.scan(CheckpointMemory.load(src), MemoryArtefacts.Options.all());
        }
    }

    static List<String> typed(String name) throws Exception {
        return Files.readAllLines(lab(name + ".typed")).stream().filter(l -> !l.isEmpty()).toList();
    }

    static Instant checkpointed(String name) {
        try (Checkpoint cp = Checkpoint.open(lab(name))) {
            return cp.container().checkpointed();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reverse-shell.tar.zst", "reverse-shell-histtime.tar.zst"})
    void everyCommandTheOperatorTypedIsRecoveredInOrder(String name) throws Exception {
        ArtefactReport r = scan(name);
        List<String> expected = typed(name);
        List<HistoryEntry> bash = r.history().stream().filter(h -> h.process().equals("bash")).toList();
        assertThat(bash).extracting(HistoryEntry::line).containsExactlyElementsOf(expected);
        assertThat(bash).extracting(HistoryEntry::index).containsExactlyElementsOf(java.util.stream.IntStream.range(0, expected.size()).boxed().toList());
        assertThat(bash).allSatisfy(h -> {
            assertThat(h.method()).isEqualTo(HistoryEntry.Method.READLINE_HISTORY_LIST);
            assertThat(h.vma()).contains("[heap]");
        });
        // readline stamps every entry (with '#' only under HISTTIMEFORMAT): typed within the minute before the checkpoint
        Instant at = checkpointed(name);
        assertThat(bash).allSatisfy(h -> assertThat(h.timestamp()).isBetween(at.minus(Duration.ofMinutes(2)), at.plusSeconds(1)));
        assertThat(bash).extracting(HistoryEntry::timestamp).isSorted();
    }

    @Test
    void theLinesTypedIntoThePythonReplAreRecoveredFromReadlinesList() throws Exception {
        ArtefactReport r = scan("python-repl.tar.zst");
        List<HistoryEntry> py = r.history().stream().filter(h -> h.process().startsWith("python")).toList();
        assertThat(py).extracting(HistoryEntry::line).containsExactlyElementsOf(typed("python-repl.tar.zst"));
    }

    @Test
    void theLinesTypedIntoThePerlDebuggerAreRecoveredFromDbHist() throws Exception {
        ArtefactReport r = scan("perl-debugger.tar.zst");
        // two perl processes: the typist (its own array of the same lines is not "hist") and perl -de 0
        assertThat(r.history()).extracting(HistoryEntry::line).containsExactlyElementsOf(typed("perl-debugger.tar.zst"));
        assertThat(r.history()).extracting(HistoryEntry::method).containsOnly(HistoryEntry.Method.PERL_DEBUGGER_HIST);
        assertThat(r.history()).extracting(HistoryEntry::pid).containsOnly(r.history().get(0).pid());
        assertThat(r.history()).extracting(HistoryEntry::timestamp).containsOnlyNulls();
    }

    @Test
    void theLinesTypedIntoTheNodeReplAreRecoveredFromItsV8Arrays() throws Exception {
        ArtefactReport r = scan("node-repl.tar.zst");
        // two processes: the typist (perl, its own list of the same lines is no history) and node, whose lines are V8 strings
        assertThat(r.history()).extracting(HistoryEntry::line).containsExactlyElementsOf(typed("node-repl.tar.zst"));
        assertThat(r.history()).extracting(HistoryEntry::process).containsOnly("node");
        assertThat(r.history()).extracting(HistoryEntry::method).containsOnly(HistoryEntry.Method.NODE_REPL_LINES);
        assertThat(r.history()).extracting(HistoryEntry::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(r.credentials()).isEmpty();
    }

    @Test
    void everyPlantedCredentialIsFoundDecodedAndMasked() throws Exception {
        JsonNode planted = new ObjectMapper().readTree(lab("credentials.tar.zst.planted").toFile());
        ArtefactReport r = scan("credentials.tar.zst");

        String token = planted.get("kubernetes_token").asText();
        List<Credential> sa = r.credentials(Kind.KUBERNETES_SERVICE_ACCOUNT_TOKEN);
        assertThat(sa).isNotEmpty().allSatisfy(c -> assertThat(c.value()).isEqualTo(token));
        ServiceAccountClaims claims = sa.get(0).claims();
        JsonNode want = planted.get("claims");
        assertThat(claims.issuer()).isEqualTo(want.get("iss").asText());
        assertThat(claims.subject()).isEqualTo(want.get("sub").asText());
        assertThat(claims.namespace()).isEqualTo(want.at("/kubernetes.io/namespace").asText());
        assertThat(claims.serviceAccount()).isEqualTo(want.at("/kubernetes.io/serviceaccount/name").asText());
        assertThat(claims.serviceAccountUid()).isEqualTo(want.at("/kubernetes.io/serviceaccount/uid").asText());
        assertThat(claims.pod()).isEqualTo(want.at("/kubernetes.io/pod/name").asText());
        assertThat(claims.podUid()).isEqualTo(want.at("/kubernetes.io/pod/uid").asText());
        assertThat(claims.expires()).isEqualTo(Instant.ofEpochSecond(want.get("exp").asLong()));
        assertThat(claims.issuedAt()).isEqualTo(Instant.ofEpochSecond(want.get("iat").asLong()));
        assertThat(claims.audiences()).containsExactly(want.at("/aud/0").asText());
        // read from the file and copied from the environment into perl's heap (perl's $0 rewrite overwrote the stack's copy)
        assertThat(sa).extracting(Credential::vma).anySatisfy(v -> assertThat(v).contains("[heap]"));
        assertThat(sa.get(0).occurrences()).isGreaterThanOrEqualTo(2);

        String akid = planted.get("aws_access_key_id").asText(), secret = planted.get("aws_secret_access_key").asText();
        assertThat(r.credentials(Kind.AWS_ACCESS_KEY)).isNotEmpty().allSatisfy(c -> {
            assertThat(c.identity()).isEqualTo(akid);
            assertThat(c.value()).isEqualTo(akid + " " + secret);
        });
        assertThat(r.credentials(Kind.DATABASE_URL)).extracting(Credential::value).contains(planted.get("database_url").asText());
        assertThat(r.credentials(Kind.BASIC_AUTH_URL)).extracting(Credential::value).contains(planted.get("basic_auth_url").asText());
        assertThat(r.credentials(Kind.SSH_PRIVATE_KEY)).isNotEmpty()
                .allSatisfy(c -> assertThat(c.value()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----").endsWith("-----END OPENSSH PRIVATE KEY-----"));
        assertThat(r.credentials(Kind.GCP_SERVICE_ACCOUNT_KEY)).isNotEmpty().allSatisfy(c -> {
            assertThat(c.identity()).isEqualTo(planted.get("gcp_client_email").asText());
            assertThat(c.details()).containsEntry("private_key_id", planted.get("gcp_private_key_id").asText());
        });

        Set<String> secrets = Set.of(token.substring(token.lastIndexOf('.') + 1), secret, "Pg-s3cret-0f9a", "ghp_lab0000secret1111token");
        for (Credential c : r.credentials()) {
            for (String s : secrets) assertThat(c.masked()).doesNotContain(s);
            assertThat(c.masked()).isNotEqualTo(c.value());
        }
        assertThat(r.credentials()).noneMatch(c -> c.kind() == Kind.PRIVATE_KEY || c.kind() == Kind.JWT);
    }

    @Test
    void slicesScannedOnSeveralThreadsFindWhatOneThreadFinds() {
        // the worker's pages are a few dozen stretches: three slices, merged back in address order with their counts
        ArtefactReport one = scan("credentials.tar.zst");
        ArtefactReport sliced;
        try (ArchiveMemorySource src = ArchiveMemorySource.open(lab("credentials.tar.zst"))) {
            sliced = MemoryArtefacts.scan(CheckpointMemory.load(src), MemoryArtefacts.Options.all(), new PageSweep.Tuning(3, 0));
        }
        assertThat(sliced.credentials()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(one.credentials());
    }

    @ParameterizedTest
    @ValueSource(strings = {"artefacts/benign-sleep.tar.zst", "benign-web.tar.zst"})
    void benignCheckpointsHoldNothing(String name) {
        ArtefactReport r = scanPath(ProjectFiles.checkpoint(name));
        assertThat(r.history()).isEmpty();
        assertThat(r.credentials()).isEmpty();
    }
}
