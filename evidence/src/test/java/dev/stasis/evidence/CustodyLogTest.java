package dev.stasis.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The custody log's chain: every edit, removal and reordering is named by record number. */
class CustodyLogTest {
    @TempDir
    Path dir;
    Path log;

    @BeforeEach
    void fill() {
        try (Vault v = Vault.open(VaultConfig.local(dir))) {
            String a = v.store(StoreRequest.ofFile(TestData.checkpoint("benign-web.tar.zst"), null, TestData.tester()).withReason("alert 7")).item().id();
            v.verify(a, new Actor("bob", "ws-2", "cli"), "weekly check");
            v.read(a, java.io.OutputStream.nullOutputStream(), new Actor("carol", "ws-3", "cli"), "analysis", null);
            v.export(a, dir.resolve("export"), new Actor("dave", "ws-4", "cli"), "insurer");
            try {
                v.delete(a, new Actor("eve", "10.9.9.9", "cli"), "space");
            } catch (EvidenceException expected) {
                // refused, recorded
            }
            log = v.custody().file();
        }
    }

    private CustodyVerification verify() {
        try (Vault v = Vault.open(VaultConfig.local(dir))) {
            return v.custody().verify();
        }
    }

    @Test
    void recordsEveryKindOfActionWithWhoWhereAndWhy() {
        try (Vault v = Vault.open(VaultConfig.local(dir))) {
            List<CustodyRecord> rs = v.custody().records();
            assertThat(rs).extracting(CustodyRecord::action).containsExactly(CustodyAction.STORE, CustodyAction.VERIFY,
                    CustodyAction.READ, CustodyAction.READ, CustodyAction.EXPORT, CustodyAction.DELETE);
            assertThat(rs).extracting(CustodyRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(rs.get(1)).satisfies(r -> {
                assertThat(r.who()).isEqualTo("bob");
                assertThat(r.host()).isEqualTo("ws-2");
                assertThat(r.reason()).isEqualTo("weekly check");
            });
            assertThat(rs.get(0).prev()).isEqualTo("0".repeat(64));
            assertThat(verify().ok()).isTrue();
        }
    }

    @Test
    void anEditedRecordIsNamed() throws Exception {
        List<String> lines = TestData.lines(log);
        lines.set(2, lines.get(2).replace("\"who\":\"carol\"", "\"who\":\"nobody\""));
        Files.write(log, lines);
        CustodyVerification cv = verify();
        assertThat(cv.ok()).isFalse();
        assertThat(cv.problems()).singleElement().satisfies(p -> {
            assertThat(p.part()).isEqualTo(Part.LOG);
            assertThat(p.seq()).isEqualTo(3);
            assertThat(p.message()).contains("record 3").contains("edited");
        });
    }

    @Test
    void aRemovedRecordIsNamed() throws Exception {
        List<String> lines = TestData.lines(log);
        lines.remove(1);
        Files.write(log, lines);
        assertThat(verify().problems()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("record 2 was removed"));
    }

    @Test
    void severalTamperingsAreEachNamedOnce() throws Exception {
        // edit record 2, remove record 4, swap records 5 and 6
        List<String> lines = TestData.lines(log);
        lines.set(1, lines.get(1).replace("\"who\":\"bob\"", "\"who\":\"admin\""));
        String five = lines.get(4), six = lines.get(5);
        lines.set(4, six);
        lines.set(5, five);
        lines.remove(3);
        Files.write(log, lines);
        assertThat(verify().problems()).extracting(Problem::seq, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, "record 2 (line 2) was edited: its signature does not match its content"),
                org.assertj.core.groups.Tuple.tuple(4L, "record 4 was removed"),
                org.assertj.core.groups.Tuple.tuple(5L, "record 5 is out of order (line 5, after record 6): reordered"));
    }

    @Test
    void reorderedRecordsAreNamed() throws Exception {
        List<String> lines = TestData.lines(log);
        String third = lines.remove(2);
        lines.add(4, third);
        Files.write(log, lines);
        assertThat(verify().problems()).singleElement().satisfies(p -> {
            assertThat(p.seq()).isEqualTo(3);
            assertThat(p.message()).contains("record 3 is out of order").contains("reordered");
        });
    }

    @Test
    void recordsCutFromTheEndAreNamed() throws Exception {
        List<String> lines = TestData.lines(log);
        Files.write(log, lines.subList(0, 4));
        assertThat(verify().problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("records 5..6 were removed from the end"));
    }

    @Test
    void aRecordRewrittenWithAConsistentSequenceStillBreaksTheChain() throws Exception {
        // record 2 swapped for a copy of record 4 renumbered as 2: the signature no longer holds
        List<String> lines = TestData.lines(log);
        lines.set(1, lines.get(3).replace("\"seq\":4", "\"seq\":2"));
        Files.write(log, lines);
        assertThat(verify().problems()).singleElement().satisfies(p -> {
            assertThat(p.seq()).isEqualTo(2L);
            assertThat(p.message()).contains("edited");
        });
    }

    @Test
    void appendingAfterATamperedLogStillAppendsAndTheTamperingStaysVisible() throws Exception {
        List<String> lines = TestData.lines(log);
        lines.remove(1);
        Files.write(log, lines);
        try (Vault v = Vault.open(VaultConfig.local(dir))) {
            v.verifyAll(TestData.tester(), null);
            assertThat(v.custody().verify().problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m).startsWith("record 2 was removed"));
        }
    }
}
