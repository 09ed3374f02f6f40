package dev.stasis.sandbox.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stasis.sandbox.Fixtures;
import dev.stasis.testsupport.GroundTruth;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails closed: one line, and nothing created (no namespace, container, manifest or run directory). */
class SandboxRunRefusalLabTest {
    @TempDir
    Path tmp;
    private List<String> netnsBefore;
    private String containersBefore;

    @BeforeEach
    void lab() {
        boolean ok = Host.isRoot() && Files.exists(Path.of("/tmp/lab-ready"));
        GroundTruth.require(ok, "SandboxRunRefusalLabTest needs root and podman + CRIU (/tmp/lab-ready)");
        netnsBefore = Cleaner.netnsList();
        containersBefore = Host.run(List.of("podman", "ps", "-a", "--format", "{{.Names}}")).out();
    }

    @Test
    void anArchiveWhoseBaseImageIsMissing() {
        // the bundled bot was checkpointed from a notebook image built elsewhere: its image id is not in this storage
        assumeTrue(!Host.run(List.of("podman", "image", "exists", "88bc9d2d9f4ad0bfa1acc97b7a15bf1058d0e90fad965c459e6cb182c8aafeb2")).ok(),
                "SKIPPED: the fixture's base image happens to exist here");
        refused(Fixtures.checkpoint("irc-bot.tar.zst"),
                "the archive's base image localhost/notebook:2.0 (id 88bc9d2d9f4a) is not in podman's storage; load or build that exact image first");
    }

    @Test
    void aDamagedArchive() throws Exception {
        Path cut = tmp.resolve("cut.tar.zst");
        try (InputStream in = Files.newInputStream(Fixtures.checkpoint("irc-bot.tar.zst")); OutputStream out = Files.newOutputStream(cut)) {
            out.write(in.readNBytes(200_000));
        }
        refused(cut, "cannot read " + cut + ": ");
    }

    @Test
    void aFileThatIsNoArchive() throws Exception {
        Path junk = tmp.resolve("junk.tar");
        Files.writeString(junk, "hello");
        refused(junk, "cannot read " + junk + ": ");
    }

    @Test
    void aMissingArchive() {
        refused(tmp.resolve("nope.tar"), "no such archive: ");
    }

    private void refused(Path archive, String message) {
        StateDir state = new StateDir(tmp.resolve("state"));
        Path runDir = tmp.resolve("run");
        assertThatThrownBy(() -> new SandboxRun(state).run(RunRequest.of(archive, Duration.ofSeconds(5), new Stimulus.None()).withRunDir(runDir), l -> { }))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n");
        assertThat(runDir).doesNotExist();
        assertThat(state.manifests()).isEmpty();
        assertThat(Cleaner.netnsList()).containsExactlyInAnyOrderElementsOf(netnsBefore);
        assertThat(Host.run(List.of("podman", "ps", "-a", "--format", "{{.Names}}")).out()).isEqualTo(containersBefore);
    }
}
