package dev.stasis.evidence.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.testsupport.GroundTruth;
import java.sql.DriverManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a real PostgreSQL ({@code .ci/postgres-up}). URL from {@code STASIS_TEST_PG_URL}, else the
 * CI default; skipped loudly when the server is not reachable.
 */
class PostgresCaseStoreTest extends CaseStoreContract {
    static final String URL = System.getenv().getOrDefault("STASIS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/stasis_test");
    static final String USER = System.getenv().getOrDefault("STASIS_TEST_PG_USER", "stasis");
    static final String PASSWORD = System.getenv().getOrDefault("STASIS_TEST_PG_PASSWORD", "stasis");
    static CaseStore store;

    @BeforeAll
    static void connect() {
        boolean up;
        try (var c = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "connectTimeout=3", USER, PASSWORD)) {
            up = c.isValid(3);
        } catch (Exception e) {
            System.err.println("PostgresCaseStoreTest: no PostgreSQL at " + URL + " (" + e.getMessage()
                    + "); run .ci/postgres-up or set STASIS_TEST_PG_URL");
            up = false;
        }
        GroundTruth.require(up, "PostgreSQL at " + URL + " is not reachable: run .ci/postgres-up");
        store = CaseStore.open(URL, USER, PASSWORD);
    }

    @Override
    CaseStore store() {
        return store;
    }

    @Test
    void migratingTwiceIsANoOp() {
        try (CaseStore again = CaseStore.open(URL, USER, PASSWORD)) {
            String name = fresh("INC-pg");
            again.create(name, "t", "a");
            assertThat(store.show(name).title()).isEqualTo("t");
        }
    }

    @Test
    void aWrongPasswordIsAOneLineError() {
        assertThatThrownBy(() -> CaseStore.open(URL, USER, "wrong"))
                .isInstanceOf(CaseException.class)
                .hasMessageStartingWith("cannot open the case database " + URL)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
