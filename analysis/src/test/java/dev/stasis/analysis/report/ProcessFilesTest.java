package dev.stasis.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.analysis.Fixtures;
import dev.stasis.analysis.render.JsonReport;
import dev.stasis.analysis.render.TextSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each process's open files in the report, against crit's decoding of the same archive: the pid's
 * files_id (ids-PID.img) names its fdinfo image, whose entries give fd, type and file id, and
 * files.img gives a regular file's path. Nothing here comes from stasis's own decoding.
 */
class ProcessFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar.zst", "irc-bot.tar", "irc-bot.pre.tar.zst", "fileless-miner.tar.gz", "benign-web.tar.zst"})
    void everyProcessHoldsTheDescriptorsCritDecodes(String archive) {
        Map<Integer, Map<Integer, String>> expected = critDescriptors(archive);
        Report report = Fixtures.report(archive);
        Map<Integer, Map<Integer, String>> actual = new TreeMap<>();
        for (ProcessRow p : report.processes()) {
            Map<Integer, String> fds = new TreeMap<>();
            for (FileRow f : p.files()) fds.put(f.fd(), kindAndPath(f));
            actual.put(p.pid(), fds);
        }
        assertThat(expected).as("crit's descriptors of %s", archive).isNotEmpty();
        assertThat(actual).isEqualTo(expected);

        // JSON: the same association, nested under each process (an added key of stasis.report/v1)
        JsonNode json = JsonReport.tree(report);
        assertThat(json.get("schema").asText()).isEqualTo("stasis.report/v1");
        for (JsonNode p : json.get("processes")) {
            Map<Integer, String> fds = expected.get(p.get("pid").asInt());
            assertThat(p.get("files")).hasSize(fds.size());
            for (JsonNode f : p.get("files")) {
                assertThat(f.has("fd") && f.has("kind") && f.has("path") && f.has("deleted") && f.has("finding_ids")).isTrue();
                if (f.get("kind").asText().equals("file")) {
                    assertThat(fds.get(f.get("fd").asInt())).isEqualTo("file " + bare(f.get("path").asText()));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar.zst", "benign-web.tar.zst"})
    void theTextReportListsEachRegularFileUnderItsProcess(String archive) {
        Map<Integer, Map<Integer, String>> expected = critDescriptors(archive);
        // -v lists every descriptor; the default leaves out pipes and /dev/null (checked below)
        List<String> lines = TextSummary.render(Fixtures.report(archive), false, true).lines().toList();
        int checked = 0;
        for (var proc : expected.entrySet()) {
            int at = processLine(lines, proc.getKey());
            for (var fd : proc.getValue().entrySet()) {
                if (!fd.getValue().startsWith("file ")) continue;
                String path = fd.getValue().substring("file ".length());
                // the file's line follows its process's line, deeper, before the next process
                boolean found = false;
                for (int i = at + 1; i < lines.size() && indent(lines.get(i)) > indent(lines.get(at)) && !isProcessLine(lines.get(i)); i++) {
                    if (lines.get(i).strip().matches("file\\s+" + java.util.regex.Pattern.quote(path) + "( \\(deleted\\))? fd " + fd.getKey() + ".*")) found = true;
                }
                assertThat(found).as("pid %d fd %d %s under its process in%n%s", proc.getKey(), fd.getKey(), path, String.join("\n", lines)).isTrue();
                checked++;
            }
        }
        assertThat(checked).isPositive();
        assertThat(lines).anyMatch(l -> l.strip().startsWith("pipe   pipe:["));
        List<String> brief = TextSummary.render(Fixtures.report(archive), false, false).lines().toList();
        assertThat(brief).noneMatch(l -> l.strip().startsWith("pipe ") || l.strip().startsWith("file   /dev/null"));
    }

    @org.junit.jupiter.api.Test
    void theHtmlReportNestsEachDescriptorInItsProcessRow() {
        Map<Integer, Map<Integer, String>> expected = critDescriptors("irc-bot.tar.zst");
        String html = dev.stasis.analysis.render.HtmlReport.render(Fixtures.report("irc-bot.tar.zst"));
        for (var proc : expected.entrySet()) {
            int row = html.indexOf("<tr id=\"proc-" + proc.getKey() + "\"");
            assertThat(row).as("row of pid %d", proc.getKey()).isPositive();
            String cells = html.substring(row, html.indexOf("</tr>", row));
            for (var fd : proc.getValue().entrySet()) {
                if (fd.getValue().equals("socket")) {
                    // a socket links to its row in the connection table
                    assertThat(cells).containsPattern("<span class=\"fdn\">" + fd.getKey() + "</span> <span class=\"fdk\">socket</span> <code><a class=\"ref\" href=\"#sock-");
                } else {
                    assertThat(cells).contains("<div id=\"fd-" + proc.getKey() + "-" + fd.getKey() + "\"");
                    if (fd.getValue().startsWith("file ")) assertThat(cells).contains(fd.getValue().substring(5));
                }
            }
        }
    }

    /** pid -> fd -> "file PATH" for regular files, "socket" for sockets, else crit's type in lower case. */
    private static Map<Integer, Map<Integer, String>> critDescriptors(String archive) {
        Map<Long, String> names = new HashMap<>();
        for (JsonNode f : Fixtures.crit(archive, "files.img").get("entries")) {
            if (f.has("reg")) names.put(f.get("id").asLong(), f.get("reg").get("name").asText());
        }
        Map<Integer, Map<Integer, String>> out = new TreeMap<>();
        for (JsonNode task : Fixtures.crit(archive, "pstree.img").get("entries")) {
            int pid = task.get("pid").asInt();
            Map<Integer, String> fds = new TreeMap<>();
            out.put(pid, fds);
            JsonNode ids;
            try {
                ids = Fixtures.crit(archive, "ids-" + pid + ".img");
            } catch (RuntimeException noIds) {
                continue; // a zombie: no ids, no descriptors
            }
            long filesId = ids.get("entries").get(0).get("files_id").asLong();
            for (JsonNode fd : Fixtures.crit(archive, "fdinfo-" + filesId + ".img").get("entries")) {
                String type = fd.get("type").asText();
                String what = switch (type) {
                    case "REG" -> "file " + names.get(fd.get("id").asLong());
                    case "INETSK", "UNIXSK", "PACKETSK", "NETLINKSK" -> "socket";
                    default -> type.toLowerCase(java.util.Locale.ROOT);
                };
                fds.put(fd.get("fd").asInt(), what);
            }
        }
        return out;
    }

    private static String kindAndPath(FileRow f) {
        return switch (f.kind()) {
            case "file" -> "file " + bare(f.path());
            default -> f.kind();
        };
    }

    private static String bare(String path) {
        return path.endsWith(" (deleted)") ? path.substring(0, path.length() - " (deleted)".length()) : path;
    }

    private static int processLine(List<String> lines, int pid) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).matches("\\s+" + pid + "\\s+\\S.*") && isProcessLine(lines.get(i))) return i;
        throw new AssertionError("no line for pid " + pid + " in\n" + String.join("\n", lines));
    }

    private static boolean isProcessLine(String l) {
        return l.strip().matches("\\d+\\s+.*");
    }

    private static int indent(String s) {
        return s.length() - s.stripLeading().length();
    }
}
