package dev.stasis.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.render.JsonReport;
import dev.stasis.analysis.report.Report;
import dev.stasis.analysis.report.Verdict;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each fixture yields the findings its scenario implies (testdata/checkpoints/README.md),
 * checked against the attack transcripts (*.c2.log, *.shell.log), crit's JSON and
 * archive members read independently.
 */
class FixtureFindingsTest {

    static List<Finding> withId(Report r, String id) {
        return r.findings().stream().filter(f -> f.id().equals(id)).toList();
    }

    static Finding one(Report r, String id) {
        List<Finding> l = withId(r, id);
        assertThat(l).as("findings " + id + " in " + r.findings().stream().map(Finding::id).toList()).hasSize(1);
        return l.get(0);
    }

    static Stream<String> excerpts(Finding f) {
        return f.evidence().stream().map(Evidence::excerpt).filter(java.util.Objects::nonNull);
    }

    /** The transcript's lines that the bot sent ("< b'...'"), without the framing. */
    static List<String> sentLines(String transcript) throws Exception {
        return Files.readAllLines(TestData.checkpoint(transcript)).stream().filter(l -> l.startsWith("< b'"))
                .map(l -> l.substring(4, l.length() - 1).replace("\\r\\n", "")).toList();
    }

    @Test
    void ircBotShowsTheBotItsC2AndWhatTheOperatorAsked() throws Exception {
        Report r = Fixtures.report("irc-bot.tar.zst");
        assertThat(r.verdict()).isEqualTo(Verdict.COMPROMISED);
        List<String> sent = sentLines("irc-bot.tar.zst.c2.log");
        assertThat(sent).contains("NICK kube-7f3a", "JOIN #c2");

        // the C2 connection: address and port from crit's files.img, pid from the fdinfo of the bot
        JsonNode files = Fixtures.crit("irc-bot.tar.zst", "files.img");
        String c2 = null;
        for (JsonNode e : files.path("entries")) {
            if (e.path("type").asText().equals("INETSK") && e.path("isk").path("dst_port").asInt() == 6667) {
                c2 = Fixtures.ipv4(e.path("isk").path("dst_addr").get(0).asLong()) + ":6667";
            }
        }
        assertThat(c2).isEqualTo("10.88.0.1:6667");
        String botComm = Fixtures.crit("irc-bot.tar.zst", "core-17.img").path("entries").get(0).path("tc").path("comm").asText();
        assertThat(botComm).isEqualTo("[systemd]");

        Finding session = one(r, "STASIS-C2-001");
        assertThat(session.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(session.title()).contains("kube-7f3a").contains("#c2").contains(c2);
        assertThat(excerpts(session)).contains("NICK kube-7f3a", "JOIN #c2");
        String finalC2 = c2;
        assertThat(session.evidence()).anySatisfy(e -> {
            assertThat(e.pid()).isEqualTo(17);
            assertThat(e.socket()).contains(finalC2);
        });

        Finding commands = one(r, "STASIS-C2-002");
        assertThat(excerpts(commands)).contains("operator: !exec id", "operator: !exec ls /");
        assertThat(excerpts(commands)).anyMatch(x -> x.startsWith("operator: !portscan 127.0.0.1"));
        // an answer the transcript shows the bot sending
        assertThat(sent).contains("PRIVMSG #c2 :portscan 127.0.0.1:8888 open");
        assertThat(excerpts(commands)).contains("bot: PRIVMSG #c2 :portscan 127.0.0.1:8888 open");
        assertThat(commands.techniques()).contains("T1033", "T1083", "T1046");

        Finding masq = one(r, "STASIS-PROC-001");
        assertThat(masq.pids()).containsExactly(17);
        assertThat(masq.title()).contains(botComm);

        assertThat(one(r, "STASIS-NET-002").title()).contains(c2);
        assertThat(one(r, "STASIS-MOUNT-001").evidence().get(0).path()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");

        byte[] bot = Fixtures.nested("irc-bot.tar.zst", "rootfs-diff.tar", "tmp/perlbot.pl");
        Finding dropped = one(r, "STASIS-FS-003");
        assertThat(dropped.evidence().get(0).path()).isEqualTo("/tmp/perlbot.pl");
        assertThat(dropped.evidence().get(0).sha256()).isEqualTo(Fixtures.sha256(bot));
        assertThat(dropped.evidence().get(0).excerpt()).startsWith("script (perl), " + bot.length + " bytes");

        // the process tree marks the bot
        assertThat(r.processes()).filteredOn(p -> p.pid() == 17).singleElement()
                .satisfies(p -> assertThat(p.findingIds()).contains("STASIS-C2-001", "STASIS-PROC-001"));
    }

    @Test
    void secondIrcRunHasItsOwnNickAndTwoCommands() throws Exception {
        Report r = Fixtures.report("irc-bot.tar");
        assertThat(sentLines("irc-bot.tar.c2.log")).contains("NICK kube-9b21");
        assertThat(one(r, "STASIS-C2-001").title()).contains("kube-9b21");
        Finding commands = one(r, "STASIS-C2-002");
        assertThat(excerpts(commands)).contains("operator: !exec id", "operator: !exec ls /");
        assertThat(excerpts(commands)).noneMatch(x -> x.contains("portscan"));
    }

    @Test
    void filelessMinerShowsEveryStageOfTheDropper() throws Exception {
        Report r = Fixtures.report("fileless-miner.tar.gz");
        assertThat(r.verdict()).isEqualTo(Verdict.COMPROMISED);

        // deleted executable: its sha256 is the digest of the ghost file's content as crit decoded it
        JsonNode ghost = Fixtures.crit("fileless-miner.tar.gz", "ghost-file-1.img").path("entries");
        byte[] content = Base64.getMimeDecoder().decode(ghost.get(1).path("extra").asText());
        assertThat(content.length).isEqualTo(ghost.get(0).path("size").asInt());
        Finding deleted = one(r, "STASIS-PROC-002");
        assertThat(deleted.pids()).containsExactly(18);
        assertThat(deleted.evidence().get(0).path()).isEqualTo("/var/tmp/.kworkerds");
        assertThat(deleted.evidence().get(0).sha256()).isEqualTo(Fixtures.sha256(content));

        // fileless: memfd named as memfd.img says, its recovered content an ELF of the inode's size
        JsonNode memfd = Fixtures.crit("fileless-miner.tar.gz", "memfd.img").path("entries").get(0);
        Finding fileless = one(r, "STASIS-PROC-003");
        assertThat(fileless.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(fileless.pids()).containsExactly(23);
        assertThat(fileless.evidence().get(0).path()).isEqualTo("/memfd:" + memfd.path("name").asText());
        assertThat(fileless.evidence().get(0).sha256()).hasSize(64);
        assertThat(fileless.evidence().get(0).excerpt()).contains(memfd.path("size").asLong() + " bytes");
        assertThat(r.fileChanges()).anySatisfy(f -> {
            assertThat(f.path()).isEqualTo("/memfd:kworkerds");
            assertThat(f.type()).startsWith("ELF");
            assertThat(f.sha256()).isEqualTo(fileless.evidence().get(0).sha256());
        });

        // reverse shell: fds 0-2 of pid 25 on the socket to 10.88.0.1:4444 (crit fdinfo + files)
        JsonNode fdinfo = Fixtures.crit("fileless-miner.tar.gz", "fdinfo-" + Fixtures.crit("fileless-miner.tar.gz", "ids-25.img")
                .path("entries").get(0).path("files_id").asInt() + ".img").path("entries");
        assertThat(fdinfo.get(0).path("type").asText()).isEqualTo("INETSK");
        Finding shell = one(r, "STASIS-PROC-004");
        assertThat(shell.title()).contains("10.88.0.1:4444");
        assertThat(shell.evidence()).filteredOn(e -> "socket".equals(e.kind())).extracting(Evidence::fd).containsExactly(0, 1, 2);
        // the shell read the service-account token (shell.log)
        assertThat(Files.readString(TestData.checkpoint("fileless-miner.tar.gz.shell.log"))).contains("serviceaccount/token");
        assertThat(one(r, "STASIS-CRED-001").pids()).containsExactly(25);

        Finding miner = one(r, "STASIS-MINE-001");
        assertThat(excerpts(miner)).anyMatch(x -> x.contains("stratum+tcp://pool.minexmr.example:4444"));
        assertThat(miner.title()).contains("xmrig");

        assertThat(one(r, "STASIS-PROC-007").title()).contains("/usr/lib/.libhide.so");
        assertThat(one(r, "STASIS-FS-002").title()).contains("/etc/cron.d/kworkerds").contains("/var/tmp/.kworkerds");
        assertThat(one(r, "STASIS-FS-004").evidence()).extracting(Evidence::path)
                .containsExactlyInAnyOrder("/var/log/alternatives.log", "/var/log/dpkg.log");
        assertThat(one(r, "STASIS-MOUNT-002").title()).contains("/var/run/docker.sock");
        assertThat(one(r, "STASIS-PRIV-002").title()).contains("CAP_SYS_PTRACE");
        assertThat(withId(r, "STASIS-FS-003")).anySatisfy(f -> assertThat(f.title()).contains("/var/tmp/.update.sh"));
        assertThat(one(r, "STASIS-PROC-006").title()).contains("/var/tmp/.kworkerds");

        // the secret is reported, never leaked
        assertThat(one(r, "STASIS-ENV-001").title()).contains("DB_PASSWORD");
        assertThat(JsonReport.toString(r)).doesNotContain("hunter2-prod");
    }

    @Test
    void benignWebStaysQuiet() {
        Report r = Fixtures.report("benign-web.tar.zst");
        assertThat(r.findings()).allSatisfy(f -> assertThat(f.severity()).as(f.id() + " " + f.title()).isLessThanOrEqualTo(Severity.LOW));
        assertThat(r.verdict()).isEqualTo(Verdict.CLEAN);
        // it still sees the zombie crit shows as a dead task
        assertThat(Fixtures.crit("benign-web.tar.zst", "core-11.img").path("entries").get(0).path("tc").path("task_state").asInt()).isNotEqualTo(1);
        assertThat(r.processes()).extracting(p -> p.pid()).contains(1, 8, 10, 11);
    }

    @Test
    void healthyNotebookBeforeTheAttackHasNoAttackFindings() {
        Report r = Fixtures.report("irc-bot.pre.tar.zst");
        assertThat(r.findings()).noneMatch(f -> f.severity().atLeast(Severity.HIGH));
        assertThat(r.verdict()).isNotEqualTo(Verdict.COMPROMISED);
    }

    @Test
    void intelMatchesTheC2AddressAndThePoolDomain() {
        var options = new AnalysisOptions(List.of(TestData.resource("intel/bundle.stix.json")), List.of());
        Report irc = Analyzer.analyze(TestData.checkpoint("irc-bot.tar.zst"), options, Progress.NONE);
        Finding hit = one(irc, "STASIS-INTEL-001");
        assertThat(hit.title()).contains("10.88.0.1:6667").contains("Lab IRC C2");
        Report miner = Analyzer.analyze(TestData.checkpoint("fileless-miner.tar.gz"), options, Progress.NONE);
        assertThat(one(miner, "STASIS-INTEL-001").title()).contains("10.88.0.1:4444");
        assertThat(one(miner, "STASIS-INTEL-002").title()).contains("minexmr.example");
        Report benign = Analyzer.analyze(TestData.checkpoint("benign-web.tar.zst"), options, Progress.NONE);
        assertThat(benign.findings()).noneMatch(f -> f.id().startsWith("STASIS-INTEL"));
    }
}
