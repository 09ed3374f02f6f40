package dev.stasis.analysis.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.analysis.Fixtures;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.TestData;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckpointDiffTest {
    static Set<Integer> pids(String archive) {
        Set<Integer> s = new HashSet<>();
        for (JsonNode e : Fixtures.crit(archive, "pstree.img").path("entries")) s.add(e.path("pid").asInt());
        return s;
    }

    /** A process whose memory changed keeps the size column in line with the others (the change follows it). */
    @Test
    void theSizeColumnStaysInLine() {
        CheckpointDiff.Result r = CheckpointDiff.compare(TestData.checkpoint("irc-bot.pre.tar.zst"), TestData.checkpoint("irc-bot.tar.zst"), Progress.NONE);
        java.util.List<String> rows = DiffText.render(r, false).lines().dropWhile(l -> !l.equals("Processes")).skip(1)
                .takeWhile(l -> !l.isBlank()).toList();
        assertThat(rows).hasSize(pids("irc-bot.tar.zst").size());
        assertThat(rows).anyMatch(l -> l.contains("(+") || l.contains("(-"));
        assertThat(rows.stream().map(l -> l.indexOf(" KiB") >= 0 ? l.indexOf(" KiB") : l.indexOf(" MiB")).distinct()).hasSize(1);
    }

    @Test
    void beforeAndAfterTheIrcAttack() {
        CheckpointDiff.Result r = CheckpointDiff.compare(TestData.checkpoint("irc-bot.pre.tar.zst"), TestData.checkpoint("irc-bot.tar.zst"), Progress.NONE);
        Set<Integer> expectedNew = pids("irc-bot.tar.zst");
        expectedNew.removeAll(pids("irc-bot.pre.tar.zst"));
        assertThat(expectedNew).containsExactlyInAnyOrder(15, 16, 17);
        assertThat(r.sameContainer()).isTrue();
        // new processes come first
        assertThat(r.processes().subList(0, 3)).allSatisfy(p -> assertThat(p.change()).isEqualTo("new"));
        assertThat(r.processes()).filteredOn(p -> p.change().equals("new")).extracting(CheckpointDiff.ProcessChange::pid)
                .containsExactlyInAnyOrderElementsOf(expectedNew);
        assertThat(r.processes()).filteredOn(p -> p.pid() == 17).singleElement().satisfies(p -> {
            assertThat(p.comm()).isEqualTo("[systemd]");
            assertThat(p.memoryAfter()).isPositive();
        });
        assertThat(r.processes()).filteredOn(p -> p.pid() == 7).singleElement()
                .satisfies(p -> assertThat(p.memoryBefore()).isPositive());
        assertThat(r.connections()).singleElement().satisfies(c -> {
            assertThat(c.change()).isEqualTo("new");
            assertThat(c.remote()).isEqualTo("10.88.0.1:6667");
            assertThat(c.pids()).containsExactly(17);
        });
        assertThat(r.files()).anySatisfy(f -> {
            assertThat(f.change()).isEqualTo("added");
            assertThat(f.path()).isEqualTo("/tmp/perlbot.pl");
        });
        assertThat(DiffText.render(r, false)).contains("+ 17", "+ tcp 10.88.0.25:56778 -> 10.88.0.1:6667", "+ /tmp/perlbot.pl");
    }

    @Test
    void aCheckpointComparedWithItselfHasNoDifferences() {
        CheckpointDiff.Result r = CheckpointDiff.compare(TestData.checkpoint("benign-web.tar.zst"), TestData.checkpoint("benign-web.tar.zst"), Progress.NONE);
        assertThat(r.count()).isZero();
    }
}
