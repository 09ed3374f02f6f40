package dev.stasis.evidence.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCaseStoreTest extends CaseStoreContract {
    @TempDir
    Path dir;
    CaseStore store;

    @BeforeEach
    void open() {
        store = CaseStore.open(CaseStore.sqlite(dir.resolve("vault/cases.db")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    CaseStore store() {
        return store;
    }

    @Test
    void oneFileOnlyTheServiceCanReadAndItSurvivesReopening() throws Exception {
        store.create("INC-1", "t", "a");
        Path db = dir.resolve("vault/cases.db");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
        try (CaseStore again = CaseStore.open(CaseStore.sqlite(db))) {
            assertThat(again.list()).extracting(CaseSummary::name).containsExactly("INC-1");
        }
        // the schema history Flyway keeps says the migration ran once
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var rs = c.createStatement().executeQuery("SELECT version, success FROM stasis_schema_history WHERE version IS NOT NULL")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1");
            assertThat(rs.getBoolean(2)).isTrue();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void anUnsupportedUrlIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaseStore.open("jdbc:mysql://x/y"))
                .isInstanceOf(CaseException.class).hasMessageContaining("unsupported case database URL");
    }
}
