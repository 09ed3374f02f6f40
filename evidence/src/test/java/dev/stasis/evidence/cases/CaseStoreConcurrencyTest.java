package dev.stasis.evidence.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers with their own CaseStore each (as separate processes have) opening a new SQLite database
 * and adding to the same new case at once: one case, every link, no SQLITE_BUSY and no "already exists".
 */
class CaseStoreConcurrencyTest {
    static final int WRITERS = 12;

    @TempDir
    Path dir;

    @Test
    void concurrentWritersToOneNewCaseAllSucceed() throws Exception {
        String url = CaseStore.sqlite(dir.resolve("vault/cases.db"));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<Boolean>> created = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < WRITERS; i++) {
                String id = String.format("%064x", i + 1);
                ids.add(id);
                created.add(pool.submit(() -> {
                    start.await();
                    try (CaseStore s = CaseStore.open(url)) {
                        boolean made = s.createIfAbsent("INC-RACE", "race", "w");
                        assertThat(s.addEvidence("INC-RACE", id, "w")).isTrue();
                        return made;
                    }
                }));
            }
            start.countDown();
            int made = 0;
            for (Future<Boolean> f : created) if (f.get()) made++;
            assertThat(made).as("exactly one writer created the case").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        try (CaseStore s = CaseStore.open(url)) {
            assertThat(s.show("INC-RACE").evidence()).extracting(CaseDetail.EvidenceLink::itemId).containsExactlyInAnyOrderElementsOf(ids);
        }
    }
}
