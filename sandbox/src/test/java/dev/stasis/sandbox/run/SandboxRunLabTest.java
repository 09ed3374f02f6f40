package dev.stasis.sandbox.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.ScapEventView;
import dev.stasis.capture.state.CaptureReader;
import dev.stasis.capture.state.Event;
import dev.stasis.evidence.Actor;
import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VaultConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end test of issue 14 with real parts: a live IRC bot checkpointed by podman, its C2
 * stopped, then {@code sandbox run --replay-irc}. The bot must resume its session with the
 * sinkhole, run the replayed "!exec id" (seen by strace/sysdig as an execve of id) and answer
 * (seen in the transcript); the pcap must hold the flow; afterwards nothing of the run may be
 * left, and tcpdump in the host's namespace must not have seen a single packet of the container's
 * address. Ground truth: podman, the lab C2's log, the capture reader and sysdig, tcpdump, ip, iptables.
 */
class SandboxRunLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static IrcBotLab bot;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    /** One live checkpoint of the bot for both archive kinds (the C2 is stopped before any restore). */
    @BeforeAll
    static void checkpointTheBot() throws Exception {
        Path lab = IrcBotLab.labOrSkip();
        bot = new IrcBotLab(shared);
        bot.checkpoint(lab);
        assertThat(IrcBotLab.read(bot.c2Log)).contains("JOIN #c2").contains("uid=0(root)");
        assertThat(bot.containerIp).matches("10\\.88\\.\\d+\\.\\d+");
    }

    @AfterAll
    static void removeTheBot() throws Exception {
        if (bot != null) bot.close();
    }

    /**
     * The same checkpoint as a CRI-O/kubelet archive: CRI-O's reduced config.dump (id, name, image
     * references, runtime, times), the cri-o manager annotation, and no network.status (CRI-O writes none).
     */
    @Test
    void aCrioArchiveOfTheBotRestoresToo() throws Exception {
        Path crio = tmp.resolve("checkpoint-notebook.tar");
        String imageId = IrcBotLab.must(List.of("podman", "image", "inspect", "--format", "{{.Id}}", "localhost/notebook:2.0"), 30).out().strip();
        try (java.io.InputStream in = new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(bot.archive));
             org.apache.commons.compress.archivers.tar.TarArchiveInputStream tin = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(in);
             java.io.OutputStream out = Files.newOutputStream(crio);
             org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tout = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out)) {
            tout.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            for (org.apache.commons.compress.archivers.tar.TarArchiveEntry e; (e = tin.getNextEntry()) != null; ) {
                if (e.getName().equals("network.status")) continue;
                byte[] data = tin.readAllBytes();
                if (e.getName().equals("config.dump")) {
                    JsonNode podman = JSON.readTree(data);
                    data = JSON.writeValueAsBytes(JSON.createObjectNode().put("id", podman.path("id").asText())
                            .put("name", "k8s_notebook_notebook-7f9c4b-x2kq_data-science_0d6e_0").put("rootfsImage", "quay.io/lab/notebook:2.0")
                            .put("rootfsImageRef", imageId.substring(0, 14)).put("rootfsImageName", "quay.io/lab/notebook@sha256:feed")
                            .put("runtime", "runc").put("createdTime", "2026-12-04T04:45:18Z").put("checkpointedTime", "2026-12-04T04:46:00Z"));
                }
                if (e.getName().equals("spec.dump")) {
                    com.fasterxml.jackson.databind.node.ObjectNode spec = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(data);
                    spec.with("annotations").put("io.container.manager", "cri-o");
                    data = JSON.writeValueAsBytes(spec);
                }
                e.setSize(data.length);
                tout.putArchiveEntry(e);
                tout.write(data);
                tout.closeArchiveEntry();
            }
        }
        List<String> netnsBefore = Cleaner.netnsList();
        Path runDir = tmp.resolve("run");
        RunResult r = new SandboxRun(StateDir.standard()).run(RunRequest.of(crio, Duration.ofSeconds(6), new Stimulus.ReplayIrc()).withRunDir(runDir),
                line -> System.err.println("sandbox (cri-o): " + line));
        System.err.println("cri-o archive: restore " + r.restoreMillis() + " ms, " + r.recording().count() + " events, "
                + r.transcript().count() + " transcript lines; cleanup: " + r.cleanup());
        assertThat(Files.readString(runDir.resolve("transcript.jsonl"))).contains("PRIVMSG #c2 :uid=0(root)");
        Host.Result s = Host.run(List.of("sysdig", "-r", r.recording().path(), "evt.type=execve and proc.name=id"), 60);
        if (Host.has("sysdig") && r.recording().path().endsWith(".scap")) assertThat(s.out()).contains("execve");
        assertThat(Cleaner.netnsList()).containsExactlyInAnyOrderElementsOf(netnsBefore);
        assertThat(IrcBotLab.sh(List.of("podman", "ps", "-a", "--format", "{{.Names}}"), 30).out()).doesNotContain("stasis-sbx-" + r.runId());
    }

    /** Waits for the restored container and reads, from /proc and the cgroup files, what confines it. */
    private static String observeCage() {
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < end) {
                String names = Host.run(List.of("podman", "ps", "--format", "{{.Names}} {{.ID}}")).out();
                for (String l : names.split("\n")) {
                    if (!l.startsWith("stasis-sbx-")) continue;
                    String name = l.split(" ")[0];
                    String pid = Host.run(List.of("podman", "inspect", "--format", "{{.State.Pid}}", name)).out().strip();
                    if (pid.isEmpty() || pid.equals("0")) continue;
                    String id = Host.run(List.of("podman", "inspect", "--format", "{{.Id}}", name)).out().strip();
                    StringBuilder sb = new StringBuilder();
                    String netns = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
                    String id2 = name.substring("stasis-sbx-".length());
                    Path nsFile = Path.of("/run/netns/stasis-sbx-" + id2 + "-ctr");
                    long want = (Long) Files.getAttribute(nsFile, "unix:ino");
                    if (netns.equals("net:[" + want + "]")) sb.append("netns=").append(nsFile).append(' ');
                    for (String st : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                        if (st.startsWith("Seccomp:")) sb.append("seccomp=").append(st.split("\\s+")[1]).append(' ');
                    }
                    Path cg = Path.of("/sys/fs/cgroup");
                    String rel = "libpod_parent/libpod-" + id;
                    sb.append("memory=").append(Files.readString(cg.resolve("memory").resolve(rel).resolve("memory.limit_in_bytes")).strip()).append(' ');
                    sb.append("pids=").append(Files.readString(cg.resolve("pids").resolve(rel).resolve("pids.max")).strip()).append(' ');
                    sb.append("cpu_quota=").append(Files.readString(cg.resolve("cpu").resolve(rel).resolve("cpu.cfs_quota_us")).strip());
                    return sb.toString();
                }
                Thread.sleep(100);
            }
            return "no restored container seen";
        } catch (Exception e) {
            return "could not observe the cage: " + e;
        }
    }

    @Test
    void theBotResumesInTheCageAndAnswersAReplayedCommand() throws Exception {
        String nftBefore = IrcBotLab.sh(List.of("nft", "list", "ruleset"), 20).out();
        List<String> netnsBefore = Cleaner.netnsList();
        {

            // the host's own view while the run lasts: any packet from the container's address is a leak. (Packets TO it
            // are the host's own: the killed lab C2's socket retransmits its FIN to the removed original container.)
            Path hostPcap = tmp.resolve("host.pcap");
            Process hostDump = new ProcessBuilder("tcpdump", "-i", "any", "-n", "-U", "-w", hostPcap.toString(), "src", "host", bot.containerIp)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("host-tcpdump.log").toFile()).start();
            IrcBotLab.waitFor(() -> IrcBotLab.read(tmp.resolve("host-tcpdump.log")).contains("listening on"), 15, "host tcpdump did not start");

            Path runDir = tmp.resolve("run");
            RunResult r;
            // while it runs, the kernel's view of the restored container: its limits, seccomp and network namespace
            java.util.concurrent.CompletableFuture<String> caged = java.util.concurrent.CompletableFuture.supplyAsync(SandboxRunLabTest::observeCage);
            try {
                RunRequest req = RunRequest.of(bot.archive, Duration.ofSeconds(8), new Stimulus.ReplayIrc()).withRunDir(runDir);
                r = new SandboxRun(StateDir.standard()).run(req, line -> System.err.println("sandbox: " + line));
            } finally {
                hostDump.destroy();
                hostDump.waitFor(10, TimeUnit.SECONDS);
            }
            System.err.println("restore " + r.restoreMillis() + " ms, " + r.recording().count() + " events (" + r.recorder() + "), "
                    + r.transcript().count() + " transcript lines, " + r.pcap().count() + " packets; cleanup: " + r.cleanup());

            String cage = caged.get(60, TimeUnit.SECONDS);
            assertThat(cage).contains("netns=/run/netns/stasis-sbx-" + r.runId() + "-ctr").contains("seccomp=2")
                    .contains("memory=" + (1L << 30)).contains("pids=512").contains("cpu_quota=100000");

            // the sinkhole took over the bot's connection, sent the operator's command, and got the answer
            List<JsonNode> transcript = new ArrayList<>();
            for (String l : Files.readAllLines(runDir.resolve("transcript.jsonl"))) transcript.add(JSON.readTree(l));
            String flow = bot.containerIp + ":";
            assertThat(transcript).anySatisfy(n -> {
                assertThat(n.path("direction").asText()).isEqualTo("to_sandbox");
                assertThat(n.path("text").asText()).contains("PRIVMSG #c2 :!exec id");
            });
            assertThat(transcript).anySatisfy(n -> {
                assertThat(n.path("direction").asText()).isEqualTo("from_sandbox");
                assertThat(n.path("flow").asText()).startsWith(flow).endsWith("->" + IrcBotLab.GATEWAY + ":" + bot.port);
                assertThat(n.path("text").asText()).contains("PRIVMSG #c2 :uid=0(root)");
            });

            // the recording shows the bot's execve of id
            Path rec = Path.of(r.recording().path());
            if (rec.toString().endsWith(".scap")) {
                Filter f = Filter.compile("evt.type=execve and proc.name=id");
                int matches = 0;
                try (CaptureReader reader = CaptureReader.open(rec)) {
                    ScapEventView view = null;
                    for (Event e; (e = reader.next()) != null; ) {
                        if (e.isInternal()) continue;
                        view = view == null ? ScapEventView.of(e) : ScapEventView.of(view, e);
                        if (f.matches(view)) matches++;
                    }
                }
                assertThat(matches).as("execve of id in " + rec).isPositive();
                if (Host.has("sysdig")) {
                    Host.Result s = Host.run(List.of("sysdig", "-r", rec.toString(), "evt.type=execve and proc.name=id"), 60);
                    assertThat(s.out()).as("sysdig -r").contains("execve");
                }
            } else {
                assertThat(Files.readAllLines(rec)).as("strace recording").anySatisfy(l ->
                        assertThat(l).containsPattern("execve\\(\"/usr/bin/id\", \\[\"id\"\\]"));
            }

            // the pcap holds the flow: the bot's answer went from its original address to the C2's
            Host.Result pcap = Host.run(List.of("tcpdump", "-n", "-r", r.pcap().path(), "tcp"), 30);
            assertThat(pcap.out()).containsPattern(java.util.regex.Pattern.quote(bot.containerIp) + "\\.\\d+ > "
                    + java.util.regex.Pattern.quote(IrcBotLab.GATEWAY + "." + bot.port) + ": Flags \\[P\\.\\].*length [1-9]");

            // nothing left behind
            assertThat(Cleaner.netnsList()).containsExactlyInAnyOrderElementsOf(netnsBefore);
            assertThat(IrcBotLab.sh(List.of("podman", "ps", "-a", "--format", "{{.Names}}"), 30).out()).doesNotContain("stasis-sbx-" + r.runId());
            assertThat(IrcBotLab.sh(List.of("ip", "-o", "link"), 10).out()).doesNotContain("sbx" + r.runId());
            assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(r.runId());
            assertThat(IrcBotLab.sh(List.of("nft", "list", "ruleset"), 20).out()).isEqualTo(nftBefore);
            assertThat(Files.exists(StateDir.standard().dir().resolve(r.runId() + ".json"))).isFalse();
            assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(p -> p.info().command().orElse("?")).toList())
                    .noneMatch(c -> c.endsWith("tcpdump") || c.endsWith("strace") || c.endsWith("java"));

            // stored in the vault: each recording an item whose bytes verify, the restore in the source item's custody log
            try (Vault vault = Vault.open(VaultConfig.local(tmp.resolve("vault")))) {
                RunResult stored = RunStore.store(vault, Actor.current("sandbox-test"), r, null, "e2e");
                // an item's id is its SHA-256: the source item is the archive itself
                String source = Host.run(List.of("sha256sum", bot.archive.toString()), 30).out().split(" ")[0];
                assertThat(vault.item(source).id()).isEqualTo(source);
                for (RunResult.Output o : List.of(stored.recording(), stored.pcap(), stored.transcript())) {
                    assertThat(vault.verify(o.vaultId(), Actor.current("sandbox-test"), "e2e").ok()).isTrue();
                }
                assertThat(vault.custody().records()).anySatisfy(c -> {
                    assertThat(c.action()).isEqualTo(CustodyAction.READ);
                    assertThat(c.item()).isEqualTo(source);
                    assertThat(c.detail()).contains(stored.recording().vaultId()).contains(stored.pcap().vaultId()).contains(stored.transcript().vaultId());
                });
                assertThat(vault.custody().verify().ok()).isTrue();
            }

            // and the host never saw the restored container's address
            Host.Result leak = Host.run(List.of("tcpdump", "-n", "-r", hostPcap.toString()), 30);
            assertThat(leak.ok()).as(leak.err()).isTrue();
            assertThat(leak.out().strip()).as("packets of " + bot.containerIp + " in the host namespace").isEmpty();
        }
    }
}
