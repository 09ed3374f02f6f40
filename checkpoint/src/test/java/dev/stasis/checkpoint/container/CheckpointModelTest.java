package dev.stasis.checkpoint.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.checkpoint.Fixtures;
import dev.stasis.checkpoint.model.OpenFile;
import dev.stasis.checkpoint.model.ProcessInfo;
import dev.stasis.checkpoint.model.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The model against crit's decoding (CRIU 4.2.1, made outside stasis) and the attack transcripts. */
class CheckpointModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar.zst", "irc-bot.tar", "irc-bot.pre.tar.zst", "fileless-miner.tar.gz", "benign-web.tar.zst"})
    void processesMatchCritsPstreeAndCore(String archive) {
        JsonNode pstree = Fixtures.crit(archive, "pstree.img").get("entries");
        try (Checkpoint cp = Checkpoint.open(Fixtures.checkpoint(archive))) {
            List<ProcessInfo> all = cp.processes().all();
            assertThat(all).hasSize(pstree.size());
            for (JsonNode e : pstree) {
                int pid = e.get("pid").asInt();
                ProcessInfo p = cp.process(pid).orElseThrow();
                assertThat(p.ppid()).isEqualTo(e.get("ppid").asInt());
                assertThat(p.pgid()).isEqualTo(e.get("pgid").asInt());
                assertThat(p.sid()).isEqualTo(e.get("sid").asInt());
                JsonNode tc = Fixtures.crit(archive, "core-" + pid + ".img").get("entries").get(0).get("tc");
                assertThat(p.comm()).isEqualTo(tc.get("comm").asText());
                assertThat(p.state().code()).isEqualTo(tc.get("task_state").asInt());
            }
            assertThat(cp.processes().roots()).hasSize(1);
            assertThat(cp.processes().roots().getFirst().process().pid()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"irc-bot.tar.zst", "fileless-miner.tar.gz", "benign-web.tar.zst"})
    void openFilesMatchCritsFdinfo(String archive) {
        try (Checkpoint cp = Checkpoint.open(Fixtures.checkpoint(archive))) {
            for (ProcessInfo p : cp.processes(false).all()) {
                if (p.state() != TaskState.ALIVE) {
                    assertThat(p.files()).isEmpty();
                    continue;
                }
                long filesId = Fixtures.crit(archive, "ids-" + p.pid() + ".img").get("entries").get(0).get("files_id").asLong();
                Map<Integer, String> expected = new TreeMap<>();
                for (JsonNode fd : Fixtures.crit(archive, "fdinfo-" + filesId + ".img").get("entries")) {
                    expected.put(fd.get("fd").asInt(), fd.get("type").asText());
                }
                Map<Integer, String> ours = new TreeMap<>();
                p.files().forEach(f -> ours.put(f.fd(), f.type()));
                assertThat(ours).isEqualTo(expected);
            }
        }
    }

    @Test
    void ircBotConnectionIsTheOneTheC2ServerSaw() {
        // irc-bot.tar.c2.log starts with "conn ('10.88.0.26', 38074)": the bot's side of the connection.
        Matcher m = Pattern.compile("conn \\('([0-9.]+)', (\\d+)\\)").matcher(Fixtures.transcript("irc-bot.tar.c2.log"));
        assertThat(m.find()).isTrue();
        try (Checkpoint cp = Checkpoint.open(Fixtures.checkpoint("irc-bot.tar"))) {
            List<OpenFile.InetSocket> tcp = new ArrayList<>();
            cp.processes().all().forEach(p -> p.files().stream().filter(OpenFile.InetSocket.class::isInstance)
                    .map(OpenFile.InetSocket.class::cast).filter(s -> s.state().equals("ESTABLISHED")).forEach(tcp::add));
            assertThat(tcp).singleElement().satisfies(s -> {
                assertThat(s.src()).isEqualTo(m.group(1));
                assertThat(s.srcPort()).isEqualTo(Integer.parseInt(m.group(2)));
                assertThat(s.dst()).isEqualTo("10.88.0.1");
                assertThat(s.dstPort()).isEqualTo(6667);
                assertThat(s.protocol()).isEqualTo("TCP");
            });
            ProcessInfo bot = cp.processes().all().stream().filter(p -> p.comm().equals("[systemd]")).findFirst().orElseThrow();
            assertThat(bot.exe()).isEqualTo("/usr/bin/perl");
            assertThat(bot.cwd()).isEqualTo("/tmp");
            // the launcher shell's cmdline (read from memory) carries the nick the transcript shows
            ProcessInfo shell = cp.process(bot.ppid()).orElseThrow();
            String nick = Pattern.compile("NICK ([\\w-]+)").matcher(Fixtures.transcript("irc-bot.tar.c2.log")).results().findFirst().orElseThrow().group(1);
            assertThat(shell.cmdline().joined()).contains("BOT_NICK=" + nick).contains("perl /tmp/perlbot.pl");
            // perl rewrote its argument area ($0): shown as found, never an error
            assertThat(bot.cmdline().entries()).containsExactly("[systemd]");
            assertThat(cp.rootfsDiff()).anySatisfy(d -> assertThat(d.path()).isEqualTo("/tmp/perlbot.pl"));
        }
    }

    @Test
    void filelessMinerIsSeenForWhatItIs() {
        // fileless-miner.tar.gz.shell.log: "shell from ('10.88.0.27', 60664)"
        Matcher m = Pattern.compile("shell from \\('([0-9.]+)', (\\d+)\\)").matcher(Fixtures.transcript("fileless-miner.tar.gz.shell.log"));
        assertThat(m.find()).isTrue();
        try (Checkpoint cp = Checkpoint.open(Fixtures.checkpoint("fileless-miner.tar.gz"))) {
            List<ProcessInfo> all = cp.processes().all();
            ProcessInfo miner = all.stream().filter(p -> p.comm().startsWith("xmrig")).findFirst().orElseThrow();
            assertThat(miner.exeMemfd()).isTrue();
            assertThat(miner.exe()).isEqualTo("/memfd:kworkerds (deleted)");
            assertThat(miner.cmdline().joined()).startsWith("xmrig -o stratum+tcp://");

            ProcessInfo dropped = all.stream().filter(p -> p.comm().equals(".kworkerds")).findFirst().orElseThrow();
            assertThat(dropped.exeDeleted()).isTrue();
            assertThat(dropped.exe()).isEqualTo("/var/tmp/.kworkerds (deleted)");

            ProcessInfo shell = all.stream().filter(p -> p.cmdline().joined().equals("bash -i")).findFirst().orElseThrow();
            assertThat(shell.files()).filteredOn(f -> f.fd() <= 2).allSatisfy(f -> {
                assertThat(f).isInstanceOf(OpenFile.InetSocket.class);
                OpenFile.InetSocket s = (OpenFile.InetSocket) f;
                assertThat(s.src()).isEqualTo(m.group(1));
                assertThat(s.srcPort()).isEqualTo(Integer.parseInt(m.group(2)));
                assertThat(s.dst() + ":" + s.dstPort()).isEqualTo("10.88.0.1:4444");
            });
            assertThat(dropped.environment().entries()).contains("DB_PASSWORD=hunter2-prod");
            assertThat(shell.environment().entries()).contains("DB_PASSWORD=hunter2-prod");
            // the miner set $0: perl overwrote its argument and environment areas, so LD_PRELOAD is
            // no longer there (only in its heap); the model says why instead of inventing entries
            assertThat(miner.environment().entries()).noneMatch(e -> e.startsWith("LD_PRELOAD="));
            assertThat(miner.environment().note()).contains("overwrote");
            assertThat(shell.credentials().capEffective()).contains("CAP_SYS_PTRACE");
            assertThat(cp.deletedFiles()).isNotEmpty();
            assertThat(cp.container().namespace()).isEqualTo("payments");
        }
    }

    @Test
    void benignWebZombieLoadsWithoutItsMissingImages() {
        JsonNode tc = Fixtures.crit("benign-web.tar.zst", "core-11.img").get("entries").get(0).get("tc");
        try (Checkpoint cp = Checkpoint.open(Fixtures.checkpoint("benign-web.tar.zst"))) {
            ProcessInfo zombie = cp.process(11).orElseThrow();
            assertThat(zombie.state().isZombie()).isTrue();
            assertThat(zombie.exitCode()).isEqualTo(tc.get("exit_code").asInt());
            assertThat(zombie.files()).isEmpty();
            assertThat(zombie.namespaces()).isNull();
            assertThat(cp.process(8).orElseThrow().cmdline().joined()).isEqualTo("busybox httpd -f -p 8080 -h /var/www");
            OpenFile.InetSocket http = cp.process(8).orElseThrow().files().stream().filter(OpenFile.InetSocket.class::isInstance)
                    .map(OpenFile.InetSocket.class::cast).findFirst().orElseThrow();
            assertThat(http.state()).isEqualTo("LISTEN");
            assertThat(http.srcPort()).isEqualTo(8080);
            assertThat(http.src()).isEqualTo("::");
            assertThat(cp.warnings()).isEmpty();
        }
    }

    @Test
    void containerMetadataComesFromTheArchive() {
        try (Checkpoint cp = Checkpoint.open(Fixtures.checkpoint("irc-bot.tar.zst"))) {
            var c = cp.container();
            assertThat(c.engine()).isEqualTo(dev.stasis.checkpoint.model.Engine.PODMAN);
            assertThat(c.podName()).isEqualTo("notebook-7f9c4b-x2kq");
            assertThat(c.namespace()).isEqualTo("data-science");
            assertThat(c.containerName()).isEqualTo("notebook");
            assertThat(c.ip()).startsWith("10.88.0.");
            assertThat(c.mac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
            assertThat(c.statistics()).isNotNull();
            assertThat(c.statistics().pagesWritten()).isPositive();
            assertThat(c.sizes().memoryPages()).isPositive().isLessThan(c.sizes().total());
        }
    }
}
