package dev.stasis.analysis.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.analysis.AnalysisOptions;
import dev.stasis.analysis.Analyzer;
import dev.stasis.analysis.Fixtures;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.TestSubjects;
import dev.stasis.analysis.report.Report;
import dev.stasis.analysis.subject.Proc;
import dev.stasis.analysis.subject.Subject;
import dev.stasis.testsupport.GroundTruth;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportRenderTest {
    @TempDir
    Path tmp;

    static String chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) return c;
        }
        return null;
    }

    @Test
    void htmlIsSelfContainedAndRendersInChromium() throws Exception {
        Report r = Fixtures.report("irc-bot.tar.zst");
        String html = HtmlReport.render(r);
        // nothing that would make a browser fetch: no scripts, stylesheets, images, fonts or imports
        assertThat(html).doesNotContain("<script", "<link", "<img", "<iframe", "src=", "url(", "@import");
        assertThat(html).contains("default-src 'none'");
        assertThat(html).contains("Compromised", "notebook-7f9c4b-x2kq", "data-science", "localhost/notebook:2.0");
        assertThat(html).contains("id=\"findings\"", "id=\"processes\"", "id=\"connections\"", "id=\"files\"", "id=\"memory\"", "id=\"timeline\"");
        assertThat(html).contains("STASIS-C2-001", "NICK kube-7f3a", "10.88.0.1:6667", "/tmp/perlbot.pl");
        // verdict before findings, critical before high
        assertThat(html.indexOf("Compromised")).isLessThan(html.indexOf("id=\"findings\""));
        assertThat(html.indexOf("id=\"sev-critical\"")).isLessThan(html.indexOf("id=\"sev-high\""));

        Path file = tmp.resolve("report.html");
        ReportFormat.HTML.writeTo(r, file);
        String chrome = chromium();
        GroundTruth.require(chrome != null, "chromium is not installed; the HTML report was not rendered in a browser");
        Path png = tmp.resolve("report.png");
        Process p = new ProcessBuilder(chrome, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectory(tmp.resolve("profile")), "--screenshot=" + png, "--window-size=1400,3000",
                file.toUri().toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(png).exists();
        byte[] b = Files.readAllBytes(png);
        assertThat(b).startsWith(0x89, 'P', 'N', 'G');
        // a blank page compresses to a few KiB; the rendered report is far larger
        assertThat(b.length).isGreaterThan(50_000);
        if (System.getenv("STASIS_KEEP_SCREENSHOT") != null) Files.copy(png, Path.of(System.getenv("STASIS_KEEP_SCREENSHOT")));
    }

    @Test
    void hostileTextIsEscaped() {
        Subject s = TestSubjects.ircBot();
        List<Proc> procs = new ArrayList<>(s.processes());
        Proc bot = procs.remove(2);
        procs.add(new Proc(bot.pid(), bot.ppid(), "<script>alert(1)</script>", List.of("\"><img src=x>"), bot.exe(), false, false, null, null,
                bot.cwd(), 0, 0, 0, bot.capEff(), 0, "alive", 1, List.of(), bot.fds()));
        Subject hostile = new Subject(s.source(), s.identity(), s.spec(), procs, s.sockets(), s.rootfsDiff(), s.deletedFiles(), s.recovered(),
                List.of("2026-11-29T04:45:34.0+00:00 stderr F <b>hi</b>"), s.memory(), s.notices());
        Report r = Analyzer.analyze(hostile, AnalysisOptions.defaults(), Progress.NONE);
        String html = HtmlReport.render(r);
        assertThat(html).doesNotContain("<script>alert", "<img src=x>", "<b>hi</b>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        // Markdown: outside code fences and spans (where text is literal) no raw HTML survives
        String md = MarkdownReport.render(r).replaceAll("(?s)```.*?```", "").replaceAll("`[^`\\n]*`", "");
        assertThat(md).doesNotContain("<script>");
    }

    @Test
    void jsonFollowsTheDocumentedSchema() throws Exception {
        Report r = Fixtures.report("fileless-miner.tar.gz");
        JsonNode root = new ObjectMapper().readTree(JsonReport.toString(r));
        assertThat(root.path("schema_version").asText()).isEqualTo("1.0");
        assertThat(root.path("verdict").asText()).isEqualTo("compromised");
        assertThat(root.path("container").path("pod_name").asText()).isEqualTo("api-5d8f7-qp2lz");
        assertThat(root.path("container").path("namespace").asText()).isEqualTo("payments");
        assertThat(root.path("source").path("sha256").asText()).hasSize(64);
        assertThat(root.path("counts").path("critical").asInt()).isEqualTo((int) r.findings().stream().filter(f -> f.severity().label().equals("critical")).count());
        Set<String> severities = Set.of("info", "low", "medium", "high", "critical");
        assertThat(root.path("findings").size()).isEqualTo(r.findings().size()).isPositive();
        for (JsonNode f : root.path("findings")) {
            assertThat(f.path("id").asText()).matches("[A-Z0-9_.:-]+");
            assertThat(severities).contains(f.path("severity").asText());
            assertThat(f.path("confidence").asText()).isIn("low", "medium", "high");
            assertThat(f.path("techniques").isArray()).isTrue();
            assertThat(f.path("evidence").isArray()).isTrue();
            assertThat(f.path("evidence").size()).isPositive();
            for (JsonNode t : f.path("techniques")) assertThat(t.asText()).matches("T\\d{4}(\\.\\d{3})?");
            for (JsonNode e : f.path("evidence")) assertThat(e.path("kind").isTextual()).isTrue();
        }
        for (String key : List.of("processes", "connections", "file_changes", "memory_excerpts", "timeline", "notices")) {
            assertThat(root.path(key).isArray()).as(key).isTrue();
        }
        assertThat(root.path("processes").get(0).has("finding_ids")).isTrue();
    }

    @Test
    void markdownAndTimesketchTimeline() throws Exception {
        Report r = Fixtures.report("fileless-miner.tar.gz");
        String md = MarkdownReport.render(r);
        assertThat(md).startsWith("# stasis analysis: api (payments/api-5d8f7-qp2lz)").contains("**Verdict: Compromised**")
                .contains("## Findings", "## Process tree", "## Connections", "## File changes", "## Timeline (UTC)")
                .contains("| change | path | type | size | mode | sha256 |");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TimesketchTimeline.write(r, out);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(r.timeline().size() + r.findings().size());
        ObjectMapper m = new ObjectMapper();
        boolean cron = false;
        for (String l : lines) {
            JsonNode e = m.readTree(l);
            assertThat(e.path("message").asText()).isNotBlank();
            assertThat(e.path("timestamp_desc").asText()).isNotBlank();
            Instant t = Instant.parse(e.path("datetime").asText());
            assertThat(e.path("timestamp").asLong()).isEqualTo(t.getEpochSecond() * 1_000_000L + t.getNano() / 1000);
            if (e.path("path").asText().equals("/etc/cron.d/kworkerds")) {
                cron = true;
                assertThat(e.path("finding_id").asText()).isEqualTo("STASIS-FS-002");
            }
        }
        assertThat(cron).as("the cron file's write time is on the timeline").isTrue();
    }

    @Test
    void reportFileFormatFollowsTheExtension() {
        assertThat(ReportFormat.forPath(Path.of("a.html"))).isEqualTo(ReportFormat.HTML);
        assertThat(ReportFormat.forPath(Path.of("a.json"))).isEqualTo(ReportFormat.JSON);
        assertThat(ReportFormat.forPath(Path.of("a.md"))).isEqualTo(ReportFormat.MD);
        assertThat(ReportFormat.forPath(Path.of("timeline.jsonl"))).isEqualTo(ReportFormat.TIMELINE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportFormat.forPath(Path.of("a.pdf")))
                .hasMessageContaining("cannot tell the report format");
    }
}
