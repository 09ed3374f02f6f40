package dev.stasis.capture.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.capture.falco.Alert;
import dev.stasis.capture.falco.KnownEvents;
import dev.stasis.capture.falco.RuleEngine;
import dev.stasis.capture.falco.RuleSet;
import dev.stasis.capture.filter.EventView;
import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.OutputFormat;
import dev.stasis.capture.filter.TestData;
import dev.stasis.testsupport.GroundTruth;
import dev.stasis.vocabulary.Priority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records a podman container whose init shell, once let go, spawns a shell that reads
 * /etc/shadow and writes below /etc (the container's own /etc); sysdig 0.29 and stasis
 * read the same processes, and Falco's default rules fire on it.
 */
class RecordContainerTest {
    private static final String SCRIPT = "while [ ! -e /tmp/go ]; do sleep 0.1; done; "
            + "sh -c 'cat /etc/shadow > /dev/null; echo x > /etc/stasis-test'; sleep 600";

    @TempDir
    Path tmp;

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    @Test
    void shellSpawnedInAContainer() throws Exception {
        GroundTruth.require(SyscallRecorder.available() != null, "strace is not installed");
        GroundTruth.require(CaptureFixtures.sysdigInstalled(), "sysdig is not installed");
        GroundTruth.require(Files.isExecutable(Path.of("/usr/bin/podman")) && Files.exists(Path.of("/tmp/lab-ready")),
                "podman is not set up (no /tmp/lab-ready)");
        Process img = new ProcessBuilder("podman", "image", "exists", "localhost/base:12").start();
        GroundTruth.require(img.waitFor() == 0, "no localhost/base:12 image (.ci/lab-setup builds it)");
        String id = run("podman", "--runtime", "runc", "run", "-d", "--ulimit", "nofile=1024:1024",
                "--ulimit", "nproc=1024:1024", "localhost/base:12", "sh", "-c", SCRIPT).lines().reduce((a, b) -> b).orElseThrow();
        try {
            long pid = Long.parseLong(run("podman", "inspect", "--format", "{{.State.Pid}}", id));
            // `podman run -d` returns once runc start has released the container, which can be just before
            // runc's init process has exec'd the command. Until then it is runc:[2:INIT], deliberately made
            // non-dumpable by runc, and ptrace refuses it (EPERM): wait for the exec.
            Path comm = Path.of("/proc", Long.toString(pid), "comm");
            for (int i = 0; i < 100 && Files.readString(comm).startsWith("runc"); i++) {
                Thread.sleep(50);
            }
            Path capture = tmp.resolve("container.scap");
            try (Recording rec = SyscallRecorder.start(new RecordRequest(List.of(pid), capture, 80, Optional.empty()))) {
                run("podman", "exec", id, "touch", "/tmp/go"); // not recorded: exec sessions are not the init's children
                for (int i = 0; i < 300 && !run("podman", "exec", id, "ls", "/etc").contains("stasis-test"); i++) {
                    Thread.sleep(100);
                }
                assertThat(rec.await(Duration.ofMillis(500))).isFalse(); // the init sleeps on
                rec.stop();
            }
            String format = "*%evt.num %evt.type %evt.dir %thread.tid %proc.name %proc.cmdline %proc.pname %fd.name %evt.res";
            String filter = "evt.type=execve and evt.dir=< and not proc.name=sleep";
            Process p = new ProcessBuilder("sysdig", "-r", capture.toString(), "-p", format, filter).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isZero();
            assertThat(err).isEmpty();
            List<String> sysdig = out.lines().toList();
            // the spawned shell, then cat from it
            assertThat(sysdig).hasSize(2);
            assertThat(sysdig.get(0)).contains(" sh sh -c cat /etc/shadow > /dev/null; echo x > /etc/stasis-test sh ");
            assertThat(sysdig.get(1)).contains(" cat cat /etc/shadow sh ");
            Filter f = Filter.compile(filter);
            OutputFormat fmt = OutputFormat.compile(format);
            List<String> stasis = new ArrayList<>();
            List<String> containers = new ArrayList<>();
            OutputFormat cid = OutputFormat.compile("%container.id");
            TestData.forEachEvent(capture, (EventView e) -> {
                if (f.matches(e)) {
                    stasis.add(fmt.format(e));
                    containers.add(cid.format(e));
                }
            });
            assertThat(stasis).isEqualTo(sysdig);
            // sysdig 0.29.3 has no podman engine (container.id=host); stasis reads it from the cgroups
            assertThat(containers).containsOnly(id.substring(0, 12));

            RuleSet set = KnownEvents.loader().add(TestData.root().resolve("capture/src/test/resources/falco/falco_rules.yaml")).compile();
            RuleEngine engine = new RuleEngine(set, Priority.DEBUG, false, null, ZoneOffset.UTC);
            List<Alert> alerts = new ArrayList<>();
            TestData.forEachEvent(capture, e -> alerts.addAll(engine.evaluate(e)));
            assertThat(alerts).extracting(Alert::rule).contains("Read sensitive file untrusted");
        } finally {
            new ProcessBuilder("podman", "rm", "-f", "-t", "0", id).redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
        }
    }
}
