package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@code crit x} views over archives read in memory, compared with what crit
 * 4.2 printed for the same dumps (src/test/resources/crit-x). The zombie in
 * benign-web makes crit crash on fds, mems and rss; stasis notes it instead.
 */
class CritExplorerTest {
    private static final Path EXPECTED = TestData.root().resolve("checkpoint/src/test/resources/crit-x");

    @ParameterizedTest
    @CsvSource({
        "irc-bot.tar.zst, ps", "irc-bot.tar.zst, fds", "irc-bot.tar.zst, mems", "irc-bot.tar.zst, rss",
        "fileless-miner.tar.gz, ps", "fileless-miner.tar.gz, fds", "fileless-miner.tar.gz, mems", "fileless-miner.tar.gz, rss",
        "benign-web.tar.zst, ps"})
    void sameAsCrit(String archive, String view) throws Exception {
        var images = TestData.source(TestData.images(TestData.archive(archive)));
        String out = new CritExplorer(images).explore(CritExplorer.View.valueOf(view.toUpperCase()));
        assertThat(out).isEqualTo(Files.readString(EXPECTED.resolve(archive + "." + view + ".txt")));
    }

    @Test
    void zombieWithoutImagesDoesNotStopTheOthers() {
        Map<String, byte[]> bw = TestData.images(TestData.archive("benign-web.tar.zst"));
        CritExplorer x = new CritExplorer(TestData.source(bw));
        String fds = x.fds();
        // pid 11 is the unreaped zombie: no ids, fdinfo, fs or mm images
        assertThat(fds).contains("11\n\t      -: no open files (task is dead (zombie))\n");
        assertThat(fds).contains("8\n\t      0: ");
        assertThat(x.mems()).contains("11\n\t-                                       no memory (task is dead (zombie))\n");
        assertThat(x.rss()).contains("11\n\tno memory (task is dead (zombie))\n").contains("\n10\n");
    }

    @Test
    void deepOrCyclicProcessTreesDoNotOverflow() {
        java.util.List<ImageEntry> tasks = new java.util.ArrayList<>();
        int depth = 20_000;
        for (int pid = 1; pid <= depth; pid++) {
            tasks.add(new ImageEntry(dev.stasis.checkpoint.criu.images.Pstree.pstree_entry.newBuilder()
                    .setPid(pid).setPpid(pid - 1).setPgid(1).setSid(1).build()));
        }
        // a cycle nobody roots: 70000 <-> 70001
        tasks.add(new ImageEntry(dev.stasis.checkpoint.criu.images.Pstree.pstree_entry.newBuilder().setPid(70000).setPpid(70001).setPgid(1).setSid(1).build()));
        tasks.add(new ImageEntry(dev.stasis.checkpoint.criu.images.Pstree.pstree_entry.newBuilder().setPid(70001).setPpid(70000).setPgid(1).setSid(1).build()));
        byte[] pstree = ImageWriter.write(ImageType.PSTREE, tasks);
        String ps = new CritExplorer(TestData.source(Map.of("pstree.img", pstree))).ps();
        assertThat(ps.lines()).hasSize(depth + 1);
        assertThat(ps.lines().skip(1).findFirst().orElseThrow()).isEqualTo("      1      1      1   ?");
        assertThat(ps.lines().reduce((a, b) -> b).orElseThrow()).endsWith("[depth 19999] ?");
    }
}
