package dev.stasis.analysis;

import dev.stasis.analysis.render.TextSummary;
import org.junit.jupiter.api.Test;

class Explore {
    @Test
    void run() {
        for (String n : System.getProperty("explore", "irc-bot.tar.zst").split(",")) {
            long a0 = System.nanoTime();
            try (var ar = dev.stasis.checkpoint.archive.CheckpointArchive.open(TestData.checkpoint(n))) {
                long a1 = System.nanoTime();
                dev.stasis.checkpoint.container.ContainerMetadataReader.read(ar);
                long a2 = System.nanoTime();
                dev.stasis.checkpoint.container.ProcessLoader.load(ar, true, new java.util.ArrayList<>());
                long a3 = System.nanoTime();
                System.out.printf("open %d ms, meta %d ms, procs %d ms%n", (a1 - a0) / 1_000_000, (a2 - a1) / 1_000_000, (a3 - a2) / 1_000_000);
            }
            long t0 = System.nanoTime();
            var loaded = dev.stasis.analysis.load.CheckpointSubjects.load(TestData.checkpoint(n), Progress.NONE);
            long t1 = System.nanoTime();
            var scan = dev.stasis.analysis.detect.MemoryScan.run(loaded.subject(), dev.stasis.analysis.intel.ThreatIntel.empty(), null);
            long t2 = System.nanoTime();
            System.out.printf("%s load %d ms, scan %d ms, hits %d%n", n, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, scan.all().size());
            loaded.close();
            if (Boolean.getBoolean("explore.print")) {
                var r = Analyzer.analyze(TestData.checkpoint(n), AnalysisOptions.defaults(), Progress.NONE);
                System.out.println(TextSummary.render(r, false, true));
            }
        }
    }
}
