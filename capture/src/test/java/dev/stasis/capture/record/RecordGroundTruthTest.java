package dev.stasis.capture.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.capture.CaptureFixtures;
import dev.stasis.capture.falco.Alert;
import dev.stasis.capture.falco.KnownEvents;
import dev.stasis.capture.falco.RuleEngine;
import dev.stasis.capture.falco.RuleSet;
import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.OutputFormat;
import dev.stasis.capture.filter.TestData;
import dev.stasis.testsupport.GroundTruth;
import dev.stasis.vocabulary.Priority;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records a workload with a known log of what it did (src/test/resources/record/workload.py:
 * writes a file, talks to a TCP server on 127.0.0.1 that this test runs, reads /etc/shadow,
 * truncates a log under a private /var/log, renames its file, forks and execs /bin/true),
 * then checks the recording against that log with sysdig 0.29 as the reader, and that
 * stasis' reader, filters and Falco replay see the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordGroundTruthTest {
    static final String FIELDS = "*%evt.num %evt.type %evt.dir %thread.tid %proc.name %proc.cmdline %proc.pname "
            + "%fd.name %fd.sip %fd.sport %fd.cport %evt.res %evt.rawres";

    Path tmp;

    Path capture;
    JsonNode log;
    int port;
    RecordingSummary summary;

    @BeforeAll
    void record(@TempDir Path dir) throws Exception {
        tmp = dir;
        GroundTruth.require(SyscallRecorder.available() != null, "strace is not installed");
        GroundTruth.require(CaptureFixtures.sysdigInstalled(), "sysdig is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "SKIPPED: python3 is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "SKIPPED: unshare is not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "SKIPPED: needs root (private mount namespace)");
        Path script = tmp.resolve("workload.py");
        try (InputStream in = getClass().getResourceAsStream("/record/workload.py")) {
            Files.copy(in, script);
        }
        Path fifo = tmp.resolve("go");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            Thread serve = Thread.ofPlatform().daemon().start(() -> {
                try (Socket c = server.accept()) {
                    InputStream in = c.getInputStream();
                    byte[] buf = new byte[13];
                    in.readNBytes(buf, 0, 13); // "hello-stasis\n"
                    c.getOutputStream().write("pong-stasis\n".getBytes(StandardCharsets.US_ASCII));
                    c.getOutputStream().flush();
                    in.read();
                } catch (IOException ignored) {
                    // the test fails on the workload's log instead
                }
            });
            Process w = new ProcessBuilder("/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                    "mount -t tmpfs tmpfs /var/log && exec /usr/bin/python3 \"$0\" \"$@\"",
                    script.toString(), fifo.toString(), tmp.toString(), Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("workload.out").toFile()).start();
            try {
                capture = tmp.resolve("workload.scap");
                summary = WorkloadRecording.record(w, fifo, capture);
            } finally {
                w.destroyForcibly();
            }
            serve.join(5000);
        }
        assertThat(Files.readString(tmp.resolve("workload.out"))).isEmpty();
        log = new ObjectMapper().readTree(tmp.resolve("log.json").toFile());
    }

    private List<String> sysdig(String filter) throws Exception {
        Process p = new ProcessBuilder("sysdig", "-r", capture.toString(), "-p", FIELDS, filter).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    private List<String> stasis(String filter) throws IOException {
        return TestData.printed(capture, Filter.compile(filter), OutputFormat.compile(FIELDS));
    }

    @Test
    void sysdigReadsTheRecordingWithoutAWarning() throws Exception {
        Process p = new ProcessBuilder("sysdig", "-r", capture.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(err).isEmpty();
        long lines = new String(out, StandardCharsets.UTF_8).lines().count();
        assertThat(lines).isPositive().isLessThanOrEqualTo(summary.events());
        assertThat(summary.processes()).isEqualTo(2); // the workload and its /bin/true
        assertThat(summary.output()).isEqualTo(capture);
    }

    @Test
    void execSelectsExactlyTheChildsExec() throws Exception {
        long child = log.get("child").asLong();
        List<String> lines = sysdig("evt.type=execve");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(" execve > " + child + " python3 ");
        assertThat(lines.get(1)).contains(" execve < " + child + " true true ground-truth python3 ")
                .endsWith(" SUCCESS 0");
        assertThat(stasis("evt.type=execve")).isEqualTo(lines);
    }

    @Test
    void loopbackConnectionReadsTheSameAsTheLog() throws Exception {
        int cport = log.get("client_port").asInt();
        String filter = "fd.sip=127.0.0.1 and evt.dir=< and evt.type in (connect, sendto, recvfrom)";
        List<String> lines = sysdig(filter);
        assertThat(lines).hasSize(3);
        String conn = "127.0.0.1:" + cport + "->127.0.0.1:" + port + " 127.0.0.1 " + port + " " + cport;
        assertThat(lines.get(0)).contains(" connect < ").contains(conn).endsWith(" SUCCESS 0");
        assertThat(lines.get(1)).contains(" sendto < ").contains(conn).endsWith(" SUCCESS 13");
        assertThat(lines.get(2)).contains(" recvfrom < ").contains(conn).endsWith(" SUCCESS 12");
        assertThat(stasis(filter)).isEqualTo(lines);
        assertThat(log.get("received").asText()).isEqualTo("pong-stasis\n");
        assertThat(stasis("fd.sip=127.0.0.1")).isEqualTo(sysdig("fd.sip=127.0.0.1"));
    }

    @Test
    void buffersHoldTheBytesTheWorkloadMoved() throws Exception {
        List<String> hello = sysdig("evt.buffer contains \"hello-stasis\"");
        assertThat(hello).hasSize(1).allMatch(l -> l.contains(" sendto < "));
        assertThat(stasis("evt.buffer contains \"hello-stasis\"")).isEqualTo(hello);
        List<String> known = sysdig("evt.buffer contains \"known-content-stasis\"");
        assertThat(known).hasSize(1);
        assertThat(known.get(0)).contains(" write < ").contains(" " + log.get("file").asText() + " ").endsWith(" SUCCESS 20");
        assertThat(stasis("evt.buffer contains \"known-content-stasis\"")).isEqualTo(known);
    }

    @Test
    void processesAndFilesReadTheSameInSysdigAndStasis() throws Exception {
        long child = log.get("child").asLong();
        List<String> tru = sysdig("proc.name=true");
        assertThat(tru).isNotEmpty().allMatch(l -> l.split(" ")[3].equals(Long.toString(child)));
        assertThat(stasis("proc.name=true")).isEqualTo(tru);
        List<String> workload = sysdig("proc.name=python3 and evt.type in (openat, rename, close, write, clone)");
        assertThat(workload).isNotEmpty()
                .allMatch(l -> l.split(" ")[3].equals(log.get("pid").asText()))
                .allMatch(l -> l.contains(" python3 python3 " + tmp.resolve("workload.py")));
        assertThat(stasis("proc.name=python3 and evt.type in (openat, rename, close, write, clone)")).isEqualTo(workload);
        List<String> rename = sysdig("evt.type=rename and evt.arg.newpath=" + log.get("renamed").asText());
        assertThat(rename).hasSize(1);
        assertThat(stasis("evt.type=rename and evt.arg.newpath=" + log.get("renamed").asText())).isEqualTo(rename);
        List<String> shadow = sysdig("fd.name=/etc/shadow");
        assertThat(shadow).isNotEmpty();
        assertThat(stasis("fd.name=/etc/shadow")).isEqualTo(shadow);
    }

    @Test
    void falcosDefaultRulesFireOnTheRecording() throws Exception {
        RuleSet set = KnownEvents.loader().add(TestData.root().resolve("capture/src/test/resources/falco/falco_rules.yaml")).compile();
        RuleEngine engine = new RuleEngine(set, Priority.DEBUG, false, null, ZoneOffset.UTC);
        List<Alert> alerts = new ArrayList<>();
        TestData.forEachEvent(capture, e -> alerts.addAll(engine.evaluate(e)));
        assertThat(alerts).extracting(Alert::rule).contains("Read sensitive file untrusted", "Clear Log Activities");
        assertThat(alerts).filteredOn(a -> a.rule().equals("Clear Log Activities")).hasSize(1);
        // sysdig selects the same events with the rules' core conditions
        assertThat(sysdig("evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0 "
                + "and fd.directory=/var/log and evt.arg.flags contains O_TRUNC")).hasSize(1);
    }
}
