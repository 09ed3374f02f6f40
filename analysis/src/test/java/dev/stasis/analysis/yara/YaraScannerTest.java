package dev.stasis.analysis.yara;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.analysis.AnalysisOptions;
import dev.stasis.analysis.Analyzer;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.TestData;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YaraScannerTest {
    @TempDir
    Path tmp;

    @Test
    void yaraFindsTheBotInMemoryAndTheDroppedScript() throws Exception {
        if (YaraScanner.find().isEmpty()) {
            System.err.println("SKIPPED LOUDLY: the yara command is not installed");
            Assumptions.abort("yara not installed");
        }
        Path rules = tmp.resolve("bot.yar");
        // the nick is from the C2 transcript (irc-bot.tar.zst.c2.log); the script line from the dropped file
        Files.writeString(rules, """
                rule irc_bot_nick { meta: severity = "critical" description = "lab bot nick"
                  strings: $n = "NICK kube-7f3a" condition: $n }
                rule perl_irc_script { strings: $s = "IO::Socket::INET" $b = "PRIVMSG" condition: $s and $b }
                """);
        Report r = Analyzer.analyze(TestData.checkpoint("irc-bot.tar.zst"), new AnalysisOptions(List.of(), List.of(rules)), Progress.NONE);
        Finding nick = r.findings().stream().filter(f -> f.id().equals("STASIS-YARA-irc_bot_nick")).findFirst().orElseThrow();
        assertThat(nick.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(nick.title()).contains("lab bot nick");
        assertThat(nick.evidence()).anySatisfy(e -> {
            assertThat(e.pid()).isEqualTo(17);
            assertThat(e.address()).startsWith("0x");
            assertThat(e.excerpt()).contains("NICK kube-7f3a");
        });
        Finding script = r.findings().stream().filter(f -> f.id().equals("STASIS-YARA-perl_irc_script")).findFirst().orElseThrow();
        assertThat(script.evidence()).extracting(Evidence::path).contains("/tmp/perlbot.pl");
        // the private scratch directory is gone
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("stasis-yara-")).toList()).isEmpty();
        }
    }

    @Test
    void yaraOutputIsParsed() {
        String out = "bot [severity=\"high\",description=\"x, y\"] /t/memory-17.bin\n0x10:$n: NICK kube\n";
        List<Finding> f = YaraScanner.parseForTest(out, java.util.Map.of("/t/memory-17.bin", 17));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.id()).isEqualTo("STASIS-YARA-bot");
            assertThat(x.title()).contains("x, y");
            assertThat(x.evidence()).anySatisfy(e -> assertThat(e.address()).isEqualTo("0x1010"));
        });
    }
}
