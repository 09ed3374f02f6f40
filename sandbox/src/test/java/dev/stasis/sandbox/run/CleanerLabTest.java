package dev.stasis.sandbox.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a kill -9: what a dead run's manifest names is removed on the next start (or by
 * {@code sandbox cleanup}); what a live run owns is left alone. Checked with ip(8), not the cleaner.
 */
class CleanerLabTest {
    @TempDir
    Path tmp;

    @Test
    void leftoversOfADeadRunGoAndALiveRunStays() throws Exception {
        boolean root = Host.isRoot();
        if (!root) System.err.println("SKIPPED: CleanerLabTest needs root (network namespaces)");
        assumeTrue(root, "SKIPPED: needs root (network namespaces)");
        String dead = id();
        String live = id();
        // a "dead" owner: a process that has exited
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        StateDir state = new StateDir(tmp.resolve("state"));
        RunManifest deadRun = new RunManifest(dead, p.pid(), 12345, RunManifest.containerName(dead),
                List.of(RunManifest.netnsName(dead, "ctr"), RunManifest.netnsName(dead, "sink")),
                List.of(RunManifest.linkName(dead, 'c'), RunManifest.linkName(dead, 's')), List.of(), tmp.toString());
        RunManifest liveRun = RunManifest.plan(live, tmp.toString());
        state.write(deadRun);
        state.write(liveRun);
        try {
            for (String ns : List.of(RunManifest.netnsName(dead, "ctr"), RunManifest.netnsName(live, "sink"))) {
                assertThat(Host.run(List.of("ip", "netns", "add", ns)).ok()).isTrue();
            }
            // a veth pair left in the host namespace (a run killed between creating and moving it)
            assertThat(Host.run(List.of("ip", "link", "add", RunManifest.linkName(dead, 'c'), "type", "veth", "peer", "name",
                    RunManifest.linkName(dead, 's'))).ok()).isTrue();
            List<String> log = new ArrayList<>();
            int removed = state.removeLeftovers(log::add);
            assertThat(removed).isGreaterThanOrEqualTo(2);
            String netns = Host.run(List.of("ip", "netns", "list")).out();
            assertThat(netns).doesNotContain(RunManifest.netnsName(dead, "ctr")).contains(RunManifest.netnsName(live, "sink"));
            assertThat(Host.run(List.of("ip", "-o", "link")).out()).doesNotContain("sbx" + dead);
            assertThat(state.manifests()).extracting(RunManifest::runId).containsExactly(live);
        } finally {
            Host.run(List.of("ip", "netns", "del", RunManifest.netnsName(live, "sink")));
            Host.run(List.of("ip", "netns", "del", RunManifest.netnsName(dead, "ctr")));
            Host.run(List.of("ip", "link", "del", RunManifest.linkName(dead, 'c')));
        }
    }

    private static String id() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
