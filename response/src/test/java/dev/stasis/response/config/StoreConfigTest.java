package dev.stasis.response.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code store:} section: what it takes, and one line for what it refuses. */
class StoreConfigTest {
    @TempDir
    Path dir;

    Path config(String store) throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
        return Files.writeString(dir.resolve("stasis.yaml"), "auth: {mode: none}\npolicy: policy.yaml\nvault: vault\npodman: {}\n" + store);
    }

    @Test
    void withoutAStoreTheJournalIsUsed() throws Exception {
        assertThat(ServeConfig.load(config("")).store()).isNull();
    }

    @Test
    void aStoreNamesADistinctReplicaAtEachStart() throws Exception {
        Files.writeString(dir.resolve("pg-password"), "s3cret\n");
        Path cfg = config("store: {postgres: 'jdbc:postgresql://db:5432/stasis', user: stasis, passwordFile: pg-password, lease: 5s, replica: pod-a}\n");
        ServeConfig.Store a = ServeConfig.load(cfg).store(), b = ServeConfig.load(cfg).store();
        assertThat(a.url()).isEqualTo("jdbc:postgresql://db:5432/stasis");
        assertThat(a.password().get()).isEqualTo("s3cret");
        assertThat(a.lease()).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.replica()).startsWith("pod-a-" + ProcessHandle.current().pid() + "-");
        assertThat(a.replica()).isNotEqualTo(b.replica());
    }

    @Test
    void aWrongUrlAPlaceholderPasswordAndATinyLeaseAreOneLine() throws Exception {
        Path bad = config("store: {postgres: 'jdbc:mysql://db/x'}\n");
        assertThatThrownBy(() -> ServeConfig.load(bad)).isInstanceOf(ConfigException.class).hasMessageContaining("store.postgres: a jdbc:postgresql://");
        Path placeholder = config("store: {postgres: 'jdbc:postgresql://db/x', password: REPLACE-WITH-the-postgres-password}\n");
        assertThatThrownBy(() -> ServeConfig.load(placeholder)).hasMessageContaining("store.password: still the placeholder");
        Path lease = config("store: {postgres: 'jdbc:postgresql://db/x', lease: 10ms}\n");
        assertThatThrownBy(() -> ServeConfig.load(lease)).hasMessageContaining("store.lease must be at least 300ms");
        Path unknown = config("store: {postgres: 'jdbc:postgresql://db/x', leese: 10s}\n");
        assertThatThrownBy(() -> ServeConfig.load(unknown)).isInstanceOf(ConfigException.class).hasMessageContaining("leese");
    }
}
