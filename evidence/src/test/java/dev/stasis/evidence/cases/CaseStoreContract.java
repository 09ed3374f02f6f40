package dev.stasis.evidence.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every case database does, run against SQLite and PostgreSQL. */
abstract class CaseStoreContract {
    abstract CaseStore store();

    /** A case name no earlier run used (the PostgreSQL database outlives the test). */
    static String fresh(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static final String ITEM = "0417b1df131cebf25ff1cb4f8e1bf7e9a6a276a2fc8ba029087592f475035e6c";
    static final String ITEM2 = "551de4d78205a7b49d8ac99f49f1b9a321ec4007efc5e09e2dcf4e4746b70693";

    @Test
    void aCaseGroupsEvidenceReportsTagsAndNotes() {
        CaseStore s = store();
        String name = fresh("INC-42");
        CaseSummary created = s.create(name, "IRC bot in jupyter", "alice");
        assertThat(created.status()).isEqualTo("open");
        assertThat(s.addEvidence(name, ITEM, "alice")).isTrue();
        assertThat(s.addEvidence(name, "sha256:" + ITEM.toUpperCase(), "bob")).isFalse();
        assertThat(s.addEvidence(name, ITEM2, "bob")).isTrue();
        String report = s.addReport(name, "analysis of 0417b1", "{\"findings\":[\"irc c2\"]}", "alice");
        assertThat(s.tag(name, "c2")).isTrue();
        assertThat(s.tag(name, "c2")).isFalse();
        assertThat(s.tag(name, "mitre:T1071")).isTrue();
        s.note(name, "pod evicted 10:02", "bob");
        s.note(name, "node cordoned", "carol");

        CaseDetail d = s.show(name);
        assertThat(d.title()).isEqualTo("IRC bot in jupyter");
        assertThat(d.evidence()).extracting(CaseDetail.EvidenceLink::itemId).containsExactly(ITEM, ITEM2);
        assertThat(d.reports()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(report);
            assertThat(r.content()).isEqualTo("{\"findings\":[\"irc c2\"]}");
            assertThat(r.sha256()).isEqualTo(dev.stasis.evidence.TestData.sha256OfString("{\"findings\":[\"irc c2\"]}"));
        });
        assertThat(d.tags()).containsExactly("c2", "mitre:T1071");
        assertThat(d.notes()).extracting(CaseDetail.Note::body).containsExactly("pod evicted 10:02", "node cordoned");
        assertThat(s.list()).filteredOn(c -> c.name().equals(name)).singleElement().satisfies(c -> {
            assertThat(c.evidence()).isEqualTo(2);
            assertThat(c.reports()).isEqualTo(1);
        });
        assertThat(s.casesOf(ITEM)).contains(name);
        s.setStatus(name, "closed");
        assertThat(s.show(name).status()).isEqualTo("closed");
    }

    @Test
    void mistakesAreOneLineErrors() {
        CaseStore s = store();
        String name = fresh("INC-7");
        s.create(name, "t", "a");
        assertThatThrownBy(() -> s.create(name, "again", "a")).isInstanceOf(CaseException.class).hasMessage("case " + name + " already exists");
        assertThatThrownBy(() -> s.addEvidence("nope-" + name, ITEM, "a")).isInstanceOf(CaseException.class).hasMessageStartingWith("no case nope-");
        assertThatThrownBy(() -> s.addEvidence(name, "xyz", "a")).hasMessageContaining("not a SHA-256");
        assertThatThrownBy(() -> s.create("../etc", "t", "a")).isInstanceOf(CaseException.class).hasMessageContaining("bad case name");
        assertThatThrownBy(() -> s.tag(name, "has space")).isInstanceOf(CaseException.class).hasMessageContaining("bad tag");
        assertThatThrownBy(() -> s.note(name, " ", "a")).isInstanceOf(CaseException.class);
    }
}
