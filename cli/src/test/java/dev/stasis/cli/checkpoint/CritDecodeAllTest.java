package dev.stasis.cli.checkpoint;

import static dev.stasis.cli.CliTesting.checkpoint;
import static dev.stasis.cli.CliTesting.root;
import static dev.stasis.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.cli.CliTesting.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code stasis crit decode -i ARCHIVE -o DIR} writes, for every image, the bytes crit 4.2.1
 * printed for it (testdata/checkpoints/crit/ARCHIVE/IMAGE.json, made with crit), and nothing else.
 */
class CritDecodeAllTest {
    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar.zst", "fileless-miner.tar.gz", "irc-bot.tar"})
    void everyWrittenFileIsCritsJson(String archive, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("out");
        Run r = run("crit", "decode", "-i", checkpoint(archive).toString(), "-o", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Path truth = root().resolve("testdata/checkpoints/crit").resolve(archive);
        Set<String> expected = names(truth), written = names(dir);
        assertThat(written).isEqualTo(expected).hasSizeGreaterThan(20);
        for (String f : expected) {
            assertThat(Files.readAllBytes(dir.resolve(f))).as(f).isEqualTo(Files.readAllBytes(truth.resolve(f)));
        }
        assertThat(r.out()).startsWith("wrote " + expected.size() + " images as JSON to " + dir)
                .contains("pages-1.img").contains("raw memory pages");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonSummaryListsWrittenAndSkipped(@TempDir Path tmp) throws Exception {
        Run r = run("crit", "decode", "-i", checkpoint("irc-bot.tar.zst").toString(), "-o", tmp.resolve("o").toString(), "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("written").size()).isEqualTo(names(root().resolve("testdata/checkpoints/crit/irc-bot.tar.zst")).size());
        assertThat(doc.get("skipped").findValuesAsText("name")).contains("pages-1.img", "tmpfs-dev-44.tar.gz.img", "descriptors.json");
        assertThat(doc.get("failed").size()).isZero();
    }

    @Test
    void aNonEmptyDirectoryIsRefusedAndLeftAlone(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("keep.txt"), "mine");
        Run r = run("crit", "decode", "-i", checkpoint("irc-bot.tar.zst").toString(), "-o", tmp.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("stasis: ").contains("not empty").doesNotContain("Exception").hasLineCount(1);
        assertThat(names(tmp)).containsExactly("keep.txt");
    }

    @Test
    void aFileAsDirectoryAndAMissingOutAreOneLineErrors(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        Run r = run("crit", "decode", "-i", checkpoint("irc-bot.tar.zst").toString(), "-o", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("not a directory").hasLineCount(1);
        assertThat(Files.readString(file)).isEqualTo("x");

        r = run("crit", "decode", "-i", checkpoint("irc-bot.tar.zst").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("-o DIR").hasLineCount(1);
        assertThat(r.out()).isEmpty();
    }

    /** Files of another kind are named for what they are (the capture's kind as `file` reports it: gzip data). */
    @Test
    void aFileOfAnotherKindSaysWhatItIs(@TempDir Path tmp) throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.md"), "# not an image\n");
        Run r = run("crit", "decode", "-i", text.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("stasis: " + text + " is a text file, not a CRIU image\n");
        assertThat(run("crit", "info", text.toString()).err()).contains("is a text file, not a CRIU image").hasLineCount(1);

        Path scap = root().resolve("testdata/captures/libs_curl_google.scap");
        assertThat(Files.readAllBytes(scap)).startsWith(0x1f, 0x8b); // gzip, which alone does not tell a capture from an archive
        for (String[] args : new String[][] {{"crit", "decode", "-i", scap.toString()},
                {"crit", "decode", "-i", scap.toString(), "-o", tmp.resolve("never").toString()}}) {
            r = run(args);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("syscall capture", "stasis capture").doesNotContain("whole checkpoint").hasLineCount(1);
        }
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    @Test
    void aDamagedArchiveIsOneLineAndLeavesNoDirectory(@TempDir Path tmp) throws Exception {
        Path bad = Files.write(tmp.resolve("bad.tar.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8});
        Path dir = tmp.resolve("out");
        Run r = run("crit", "decode", "-i", bad.toString(), "-o", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("stasis: ").doesNotContain("Exception").hasLineCount(1);
        assertThat(dir).doesNotExist();
    }

    @Test
    void theSingleImageModeIsUnchanged(@TempDir Path tmp) throws Exception {
        Run r = run("crit", "decode", "-i", checkpoint("irc-bot.tar.zst") + ":checkpoint/pstree.img");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outBytes()).isEqualTo(Files.readAllBytes(root().resolve("testdata/checkpoints/crit/irc-bot.tar.zst/pstree.img.json")));
    }

    private static Set<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }
}
