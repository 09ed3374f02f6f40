package dev.stasis.response.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySourceTest {
    @TempDir
    Path dir;

    static final String ONE = "rules:\n  - name: one\n    match: {rule: a}\n    actions: [checkpoint]\n";
    static final String TWO = "cooldown: 30s\nrules:\n  - name: two\n    match: {rule: b}\n    actions: [checkpoint, collect]\n";

    @Test
    void reloadsOnChangeAndKeepsThePreviousPolicyWhenAnEditIsBad() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, ONE);
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PolicySource src = new PolicySource(file, new JsonLog(new PrintStream(logs, true)));
        assertThat(src.get().rules().getFirst().name()).isEqualTo("one");
        assertThat(src.reloadIfChanged()).isFalse();

        Files.writeString(file, TWO);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(src.reloadIfChanged()).isTrue();
        assertThat(src.get().rules().getFirst().name()).isEqualTo("two");
        assertThat(src.get().cooldown().toSeconds()).isEqualTo(30);

        Files.writeString(file, "rules:\n  - name: three\n    match: {priority: Severe}\n    actions: [checkpoint]\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(src.reloadIfChanged()).isFalse();
        assertThat(src.get().rules().getFirst().name()).as("a bad edit does not switch responses off").isEqualTo("two");
        assertThat(logs.toString()).contains("\"event\":\"policy.reload.rejected\"").contains("unknown priority 'Severe'");
    }
}
