package dev.stasis.analysis;

import dev.stasis.analysis.render.TextSummary;
import org.junit.jupiter.api.Test;

class Explore {
    @Test
    void run() {
        for (String n : System.getProperty("explore", "irc-bot.tar.zst").split(",")) {
            var r = Analyzer.analyze(TestData.checkpoint(n), AnalysisOptions.defaults(), Progress.NONE);
            System.out.println("=== " + n);
            System.out.println(TextSummary.render(r, false, true));
        }
    }
}
