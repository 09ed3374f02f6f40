package dev.stasis.checkpoint.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.Fixtures;
import dev.stasis.checkpoint.Fixtures.Member;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction from the rootfs diff, ghost files and memfds never writes outside the output directory. */
class SafeExtractorTest {
    @TempDir Path tmp;

    private Path checkpointWithDiff(List<Member> diff) throws IOException {
        List<Member> outer = new ArrayList<>();
        outer.add(Member.file("config.dump", "{\"id\":\"x\",\"name\":\"evil\"}"));
        outer.add(Member.file("rootfs-diff.tar", Fixtures.tar(diff)));
        Path p = tmp.resolve("evil.tar");
        Files.write(p, Fixtures.tar(outer));
        return p;
    }

    private List<Path> filesUnder(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(f -> !Files.isDirectory(f)).toList();
        }
    }

    @Test
    void symlinkAndHardlinkEscapesAreReportedNotFollowed() throws IOException {
        Path secret = tmp.resolve("secret");
        Files.writeString(secret, "do not touch");
        Path archive = checkpointWithDiff(List.of(
                Member.symlink("escape", tmp.toString()),
                Member.file("escape/secret", "overwritten!"),
                Member.hardlink("hard", secret.toString()),
                Member.file("../../outside", "x"),
                Member.file("/abs/file", "absolute is made relative"),
                Member.file("tmp/ok.txt", "fine")));
        Path out = tmp.resolve("out");
        try (CheckpointArchive a = CheckpointArchive.open(archive)) {
            List<SafeExtractor.Outcome> outcomes = new SafeExtractor(out).extractDiff(a);
            assertThat(outcomes).filteredOn(o -> o.path().equals("/escape")).singleElement()
                    .satisfies(o -> assertThat(o.skipped()).contains("symbolic link"));
            assertThat(outcomes).filteredOn(o -> o.path().equals("/hard")).singleElement()
                    .satisfies(o -> assertThat(o.skipped()).contains("hard link"));
            assertThat(outcomes).filteredOn(o -> o.path().contains("outside")).singleElement()
                    .satisfies(o -> assertThat(o.skipped()).contains(".."));
        }
        assertThat(Files.readString(secret)).isEqualTo("do not touch");
        assertThat(tmp.getParent().resolve("outside")).doesNotExist();
        assertThat(filesUnder(out)).allSatisfy(f -> assertThat(f.toRealPath()).startsWith(out.toRealPath()));
        assertThat(out.resolve("tmp/ok.txt")).hasContent("fine");
        assertThat(out.resolve("escape/secret")).hasContent("overwritten!");
        assertThat(Files.isSymbolicLink(out.resolve("escape"))).isFalse();
        assertThat(out.resolve("abs/file")).exists();
    }

    @Test
    void plantedSymlinkInTheOutputDirectoryIsNotWrittenThrough() throws IOException {
        Path out = tmp.resolve("out2");
        Files.createDirectories(out);
        Files.createSymbolicLink(out.resolve("tmp"), tmp);
        Path archive = checkpointWithDiff(List.of(Member.file("tmp/planted", "x")));
        try (CheckpointArchive a = CheckpointArchive.open(archive)) {
            SafeExtractor x = new SafeExtractor(out);
            assertThatThrownBy(() -> x.extractDiffFile(a, "/tmp/planted"))
                    .isInstanceOf(CheckpointException.class).hasMessageContaining("symbolic link");
        }
        assertThat(tmp.resolve("planted")).doesNotExist();
    }

    @Test
    void existingFilesAreNeverOverwritten() throws IOException {
        Path archive = checkpointWithDiff(List.of(Member.file("a.txt", "new")));
        Path out = tmp.resolve("out3");
        Files.createDirectories(out);
        Files.writeString(out.resolve("a.txt"), "old");
        try (CheckpointArchive a = CheckpointArchive.open(archive)) {
            assertThatThrownBy(() -> new SafeExtractor(out).extractDiffFile(a, "/a.txt"))
                    .isInstanceOf(CheckpointException.class).hasMessageContaining("overwrite");
        }
        assertThat(out.resolve("a.txt")).hasContent("old");
    }

    @Test
    void droppedBotScriptExtractsWithTheDigestTheDiffListed() throws Exception {
        Path out = tmp.resolve("bot");
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint("irc-bot.tar.zst"))) {
            Path written = new SafeExtractor(out).extractDiffFile(a, "/tmp/perlbot.pl");
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(written)));
            assertThat(RootfsDiffReader.read(a)).anySatisfy(d -> {
                assertThat(d.path()).isEqualTo("/tmp/perlbot.pl");
                assertThat(d.sha256()).isEqualTo(sha);
            });
            // the transcript's bot joined #c2: the script says so
            assertThat(Files.readString(written)).contains("JOIN");
        }
    }

    @Test
    void ghostFileAndMemfdComeOutAsElfBinaries() throws IOException {
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint("fileless-miner.tar.gz"))) {
            EmbeddedFiles e = new EmbeddedFiles(a, new ArrayList<>());
            assertThat(e.list()).extracting(EmbeddedFiles.Embedded::path).contains("/var/tmp/.kworkerds", "/memfd:kworkerds");
            // sizes from crit: ghost-file-1.img says 43888, memfd.img says 3804464
            var ghost = e.find("/var/tmp/.kworkerds (deleted)").orElseThrow();
            var memfd = e.find("memfd:kworkerds").orElseThrow();
            assertThat(ghost.size()).isEqualTo(Fixtures.crit("fileless-miner.tar.gz", "ghost-file-1.img").get("entries").get(0).get("size").asLong());
            assertThat(memfd.size()).isEqualTo(Fixtures.crit("fileless-miner.tar.gz", "memfd.img").get("entries").get(0).get("size").asLong());
            for (var f : List.of(ghost, memfd)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                e.copy(f, bytes);
                byte[] b = bytes.toByteArray();
                assertThat(b).hasSize((int) f.size());
                assertThat(new String(b, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("\u007fELF");
            }
        }
    }
}
