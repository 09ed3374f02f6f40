package dev.stasis.analysis.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.analysis.Fixtures;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.report.Report;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.swing.text.MutableAttributeSet;
import javax.swing.text.html.HTML;
import javax.swing.text.html.HTMLEditorKit;
import javax.swing.text.html.parser.ParserDelegator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTML report's internal links, read back with an HTML parser (the JDK's), not with the renderer's
 * own idea of them: every {@code href="#x"} has an element {@code id="x"}, no id is used twice, and a
 * finding's pid, fd/socket and path cells link to the process, socket and file rows of the same report.
 */
class HtmlLinksTest {
    /** Every start tag's id and href, in document order, with the tag and text that followed it. */
    record Parsed(Map<String, Integer> ids, List<String> hrefs, Map<String, String> rowOf) {}

    static Parsed parse(String html) throws Exception {
        Map<String, Integer> ids = new LinkedHashMap<>();
        List<String> hrefs = new ArrayList<>();
        Map<String, String> rowOf = new HashMap<>(); // href -> id of the element it points at's tag
        new ParserDelegator().parse(new StringReader(html), new HTMLEditorKit.ParserCallback() {
            @Override
            public void handleStartTag(HTML.Tag t, MutableAttributeSet a, int pos) {
                record(t, a);
            }

            @Override
            public void handleSimpleTag(HTML.Tag t, MutableAttributeSet a, int pos) {
                record(t, a);
            }

            private void record(HTML.Tag t, MutableAttributeSet a) {
                Object id = a.getAttribute(HTML.Attribute.ID);
                if (id != null) {
                    ids.merge(id.toString(), 1, Integer::sum);
                    rowOf.put(id.toString(), t.toString());
                }
                Object href = a.getAttribute(HTML.Attribute.HREF);
                if (href != null && href.toString().startsWith("#")) hrefs.add(href.toString().substring(1));
            }
        }, true);
        return new Parsed(ids, hrefs, rowOf);
    }

    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar.zst", "fileless-miner.tar.gz", "benign-web.tar.zst", "irc-bot.tar"})
    void everyInternalLinkHasItsTargetAndNoIdIsUsedTwice(String archive) throws Exception {
        Report r = Fixtures.report(archive);
        Parsed p = parse(HtmlReport.render(r));
        assertThat(p.ids()).as("ids the parser saw").containsKeys("findings", "processes");
        assertThat(p.ids().entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList()).as("ids used twice").isEmpty();
        assertThat(p.hrefs()).isNotEmpty();
        for (String href : p.hrefs()) assertThat(p.ids()).as("target of #" + href).containsKey(href);
        // one finding id reported for two processes is two findings, each with an anchor of its own
        assertThat(p.ids().keySet().stream().filter(i -> i.startsWith("f-")).count()).isEqualTo(r.findings().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar.zst", "fileless-miner.tar.gz"})
    void aFindingsPidFdAndPathLinkToTheirRows(String archive) throws Exception {
        Report r = Fixtures.report(archive);
        Parsed p = parse(HtmlReport.render(r));
        int pids = 0, sockets = 0, paths = 0;
        for (Finding f : r.findings()) {
            for (Evidence e : f.evidence()) {
                if (e.pid() != null && r.processes().stream().anyMatch(pr -> pr.pid() == e.pid())) {
                    assertThat(p.hrefs()).contains("proc-" + e.pid());
                    assertThat(p.rowOf().get("proc-" + e.pid())).isEqualTo("tr");
                    pids++;
                }
                if (e.pid() != null && e.fd() != null && r.connections().stream().anyMatch(c -> c.pids().contains(e.pid()) && e.fd().equals(c.fd()))) {
                    assertThat(p.hrefs()).anyMatch(h -> h.startsWith("sock-") && p.rowOf().get(h).equals("tr"));
                    sockets++;
                }
                if (e.path() != null && r.fileChanges().stream().anyMatch(c -> e.path().equals(c.path()))) {
                    assertThat(p.hrefs()).anyMatch(h -> h.startsWith("file-"));
                    paths++;
                }
            }
        }
        assertThat(pids).as(archive + ": findings that name a process").isPositive();
        if (archive.startsWith("irc-bot")) assertThat(sockets).as("the bot's C2 socket is evidence").isPositive();
        if (archive.startsWith("fileless")) assertThat(paths + pids).isPositive();
    }

    @org.junit.jupiter.api.Test
    void tokensAreNeverBrokenInsideAndWideTablesScroll() {
        String html = HtmlReport.render(Fixtures.report("fileless-miner.tar.gz"));
        assertThat(html).doesNotContain("break-all", "overflow-wrap:anywhere", "word-break:break-word");
        assertThat(html).contains(".scroll{overflow-x:auto}").contains("<div class=\"scroll\"><table");
    }
}
